using System.Text;
using System.Text.Json.Nodes;
using static Warden.Courier.Templates.TemplateValues;

namespace Warden.Courier.Templates;

/// <summary>
/// A parsed message template in Go template syntax (the subset Kratos' courier templates use). Parse once at
/// load time (errors there name the file and line); render per message. In HTML mode every output is
/// escaped, and values inside href/src attributes must be http(s)/mailto URLs, as Go's html/template does.
/// </summary>
public sealed class GoTemplate
{
    private const int MaxDepth = 32;
    private const int MaxOutput = 1 << 20;
    private readonly List<TemplateNode> _root;
    private readonly Dictionary<string, List<TemplateNode>> _defines;

    private GoTemplate(string name, bool html, List<TemplateNode> root, Dictionary<string, List<TemplateNode>> defines)
    {
        Name = name;
        Html = html;
        _root = root;
        _defines = defines;
    }

    public string Name { get; }
    public bool Html { get; }

    /// <param name="associated">More sources whose <c>define</c>s the template may include (Kratos loads
    /// <c>email.body*.gotmpl</c> siblings together, e.g. per-language parts).</param>
    public static GoTemplate Parse(string name, string source, bool html, IEnumerable<(string Name, string Source)>? associated = null)
    {
        var defines = new Dictionary<string, List<TemplateNode>>(StringComparer.Ordinal);
        foreach (var (n, s) in associated ?? []) TemplateParser.Parse(n, s, html, defines);
        var root = TemplateParser.Parse(name, source, html, defines);
        var t = new GoTemplate(name, html, root, defines);
        t.CheckIncludes(root, []);
        return t;
    }

    public string Render(JsonObject model)
    {
        var run = new Run(this, new StringBuilder());
        run.Nodes(_root, model, new Vars(null, "$", model), 0);
        return run.Out.ToString();
    }

    /// <summary>Every <c>{{ template "x" }}</c> must name a defined template, checked at load time.</summary>
    private void CheckIncludes(List<TemplateNode> nodes, HashSet<string> seen)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case IncludeNode inc:
                    if (!_defines.TryGetValue(inc.Name, out var body))
                        throw new TemplateException($"{Name}:{inc.Line}: no such template \"{inc.Name}\"");
                    if (seen.Add(inc.Name)) CheckIncludes(body, seen);
                    break;
                case IfNode n: CheckIncludes(n.Then, seen); if (n.Else is not null) CheckIncludes(n.Else, seen); break;
                case WithNode n: CheckIncludes(n.Body, seen); if (n.Else is not null) CheckIncludes(n.Else, seen); break;
                case RangeNode n: CheckIncludes(n.Body, seen); if (n.Else is not null) CheckIncludes(n.Else, seen); break;
            }
        }
    }

    /// <summary>Variables in scope: a linked list, so leaving a block drops what it declared.</summary>
    private sealed class Vars(Vars? parent, string name, object? value)
    {
        public Vars? Parent { get; } = parent;
        public string Name { get; } = name;
        public object? Value { get; set; } = value;

        public Vars Find(string n, string where)
        {
            for (var v = this; v is not null; v = v.Parent) if (v.Name == n) return v;
            throw new TemplateException($"{where}: undefined variable \"{n}\"");
        }
    }

    private sealed class Run(GoTemplate t, StringBuilder output)
    {
        public StringBuilder Out { get; } = output;

        public Vars Nodes(List<TemplateNode> nodes, object? dot, Vars vars, int depth)
        {
            if (depth > MaxDepth) throw new TemplateException($"{t.Name}: templates nested too deeply");
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case TextNode text:
                        Write(text.Text);
                        break;
                    case OutputNode o:
                        var value = Print(Pipe(o.Pipeline, dot, vars, o.Line));
                        Write(!t.Html ? value : o.UrlAttribute ? TemplateEscaping.Url(value) : TemplateEscaping.Html(value));
                        break;
                    case AssignNode a:
                        var assigned = Pipe(a.Value, dot, vars, a.Line);
                        if (a.Declare) vars = new Vars(vars, a.Variable, assigned);
                        else vars.Find(a.Variable, $"{t.Name}:{a.Line}").Value = assigned;
                        break;
                    case IfNode i:
                        var branch = Truth(Pipe(i.Condition, dot, vars, i.Line)) ? i.Then : i.Else;
                        if (branch is not null) Nodes(branch, dot, vars, depth + 1);
                        break;
                    case WithNode w:
                        var with = Pipe(w.Value, dot, vars, w.Line);
                        if (Truth(with)) Nodes(w.Body, with, vars, depth + 1);
                        else if (w.Else is not null) Nodes(w.Else, dot, vars, depth + 1);
                        break;
                    case RangeNode r:
                        var any = false;
                        foreach (var (key, item) in Items(Pipe(r.Items, dot, vars, r.Line), $"{t.Name}:{r.Line}"))
                        {
                            any = true;
                            var scope = vars;
                            if (r.KeyVar is not null) scope = new Vars(scope, r.KeyVar, key);
                            if (r.ValueVar is not null) scope = new Vars(scope, r.ValueVar, item);
                            Nodes(r.Body, item, scope, depth + 1);
                        }
                        if (!any && r.Else is not null) Nodes(r.Else, dot, vars, depth + 1);
                        break;
                    case IncludeNode inc:
                        var arg = inc.Argument is null ? null : Pipe(inc.Argument, dot, vars, inc.Line);
                        Nodes(t._defines[inc.Name], arg, new Vars(null, "$", arg), depth + 1);
                        break;
                }
            }
            return vars;
        }

        private void Write(string s)
        {
            if (Out.Length + s.Length > MaxOutput) throw new TemplateException($"{t.Name}: output exceeds {MaxOutput} characters");
            Out.Append(s);
        }

        private object? Pipe(Pipeline p, object? dot, Vars vars, int line)
        {
            var where = $"{t.Name}:{line}";
            object? piped = null;
            var first = true;
            foreach (var cmd in p.Commands)
            {
                if (cmd.Args[0] is FunctionOperand f)
                {
                    var args = cmd.Args.Skip(1).Select(a => Operand(a, dot, vars, line)).ToList();
                    if (!first) args.Add(piped);
                    piped = TemplateFunctions.Call(f.Name, args, where);
                }
                else
                {
                    piped = Operand(cmd.Args[0], dot, vars, line);
                }
                first = false;
            }
            return piped;
        }

        private object? Operand(Operand o, object? dot, Vars vars, int line)
        {
            var where = $"{t.Name}:{line}";
            return o switch
            {
                FieldOperand f => Chain(dot, f.Chain, where),
                VariableOperand v => Chain(vars.Find(v.Name, where).Value, v.Chain, where),
                LiteralOperand l => l.Value,
                SubPipelineOperand s => Chain(Pipe(s.Pipeline, dot, vars, line), s.Chain, where),
                FunctionOperand f => TemplateFunctions.Call(f.Name, [], where),
                _ => null,
            };
        }

        private static object? Chain(object? value, string[] chain, string where)
        {
            foreach (var name in chain) value = Field(value, name, where);
            return value;
        }
    }
}
