namespace Warden.Courier.Templates;

/// <summary>A template that cannot be loaded (syntax, unknown function) or rendered; the message names where.</summary>
public sealed class TemplateException(string message) : Exception(message);

// The parsed form of a Go template. Only the subset Kratos' message templates use is modelled: output,
// if/else if/else, range (with else and $k, $v), with, define/template/block, variables, pipelines, functions.

internal abstract record TemplateNode;

internal sealed record TextNode(string Text) : TemplateNode;

/// <summary>Output of a pipeline. <paramref name="UrlAttribute"/>: the action sits inside an href/src value (HTML).</summary>
internal sealed record OutputNode(Pipeline Pipeline, bool UrlAttribute, int Line) : TemplateNode;

internal sealed record IfNode(Pipeline Condition, List<TemplateNode> Then, List<TemplateNode>? Else, int Line) : TemplateNode;

internal sealed record WithNode(Pipeline Value, List<TemplateNode> Body, List<TemplateNode>? Else, int Line) : TemplateNode;

internal sealed record RangeNode(Pipeline Items, string? KeyVar, string? ValueVar, List<TemplateNode> Body, List<TemplateNode>? Else, int Line) : TemplateNode;

internal sealed record IncludeNode(string Name, Pipeline? Argument, int Line) : TemplateNode;

/// <summary><c>{{ $x := … }}</c> / <c>{{ $x = … }}</c>: no output.</summary>
internal sealed record AssignNode(string Variable, bool Declare, Pipeline Value, int Line) : TemplateNode;

internal sealed record Pipeline(List<Command> Commands);

internal sealed record Command(List<Operand> Args);

internal abstract record Operand;

/// <summary><c>.</c> followed by zero or more field names (<c>.Identity.traits.email</c>).</summary>
internal sealed record FieldOperand(string[] Chain) : Operand;

/// <summary><c>$</c> or <c>$name</c>, optionally followed by field names.</summary>
internal sealed record VariableOperand(string Name, string[] Chain) : Operand;

internal sealed record LiteralOperand(object? Value) : Operand;

internal sealed record FunctionOperand(string Name) : Operand;

internal sealed record SubPipelineOperand(Pipeline Pipeline, string[] Chain) : Operand;
