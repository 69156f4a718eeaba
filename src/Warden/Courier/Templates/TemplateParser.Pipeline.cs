using static Warden.Courier.Templates.TemplateLexer;

namespace Warden.Courier.Templates;

internal sealed partial class TemplateParser
{
    /// <summary>command ('|' command)*, up to the end of the action or (inside parentheses) the closing ')'.</summary>
    private Pipeline ParsePipeline(List<Token> tokens, ref int pos, int line, bool nested)
    {
        var commands = new List<Command>();
        while (true)
        {
            var args = new List<Operand>();
            while (pos < tokens.Count && tokens[pos].Kind is not (Kind.Pipe or Kind.RParen))
                args.Add(ParseOperand(tokens, ref pos, line));
            if (args.Count == 0) throw Error(line, "missing value for command");
            if (args.Count > 1 && args[0] is not FunctionOperand)
                throw Error(line, "can't give argument to non-function");
            commands.Add(new Command(args));
            if (pos < tokens.Count && tokens[pos].Kind == Kind.Pipe)
            {
                pos++;
                // A piped value becomes the last argument, so only a function can receive it.
                if (pos < tokens.Count && tokens[pos].Kind != Kind.Ident && tokens[pos].Kind != Kind.LParen)
                    throw Error(line, "non-function command in a pipeline stage");
                continue;
            }
            break;
        }
        if (pos < tokens.Count && tokens[pos].Kind == Kind.RParen && !nested) throw Error(line, "unexpected right paren");
        return new Pipeline(commands);
    }

    private Operand ParseOperand(List<Token> tokens, ref int pos, int line)
    {
        var t = tokens[pos++];
        switch (t.Kind)
        {
            case Kind.Field:
                return new FieldOperand(t.Text.Length == 0 ? Chain(tokens, ref pos) : [t.Text, .. Chain(tokens, ref pos)]);
            case Kind.Variable:
                RequireVariable(t.Text, line);
                return new VariableOperand(t.Text, Chain(tokens, ref pos));
            case Kind.String or Kind.Number:
                return new LiteralOperand(t.Value);
            case Kind.Ident:
                return t.Text switch
                {
                    "true" => new LiteralOperand(true),
                    "false" => new LiteralOperand(false),
                    "nil" => new LiteralOperand(null),
                    _ when TemplateFunctions.IsKnown(t.Text) => new FunctionOperand(t.Text),
                    _ => throw Error(line, $"function \"{t.Text}\" not defined (Warden supports: {TemplateFunctions.KnownList})"),
                };
            case Kind.LParen:
                var inner = ParsePipeline(tokens, ref pos, line, nested: true);
                if (pos >= tokens.Count || tokens[pos].Kind != Kind.RParen) throw Error(line, "unclosed left paren");
                pos++;
                return new SubPipelineOperand(inner, Chain(tokens, ref pos));
            default:
                throw Error(line, $"unexpected \"{t.Text}\" in operand");
        }
    }

    /// <summary>Field names directly attached to the previous operand (<c>$x.Name</c>, <c>(…).Name</c>).</summary>
    private static string[] Chain(List<Token> tokens, ref int pos)
    {
        var chain = new List<string>();
        while (pos < tokens.Count && tokens[pos].Kind == Kind.Field && tokens[pos].Adjacent && tokens[pos].Text.Length > 0)
            chain.Add(tokens[pos++].Text);
        return chain.ToArray();
    }

    private void RequireVariable(string name, int line)
    {
        if (!_scopes.Any(s => s.Contains(name))) throw Error(line, $"undefined variable \"{name}\"");
    }
}
