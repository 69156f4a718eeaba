using System.Text.RegularExpressions;
using static Warden.Courier.Templates.TemplateLexer;

namespace Warden.Courier.Templates;

/// <summary>
/// Parses Go template source into nodes. Everything that can be checked without data is checked here, so a
/// broken operator override fails when Warden loads it, not when a user asks for a recovery code: syntax,
/// unbalanced blocks, unknown functions, undefined variables.
/// </summary>
internal sealed partial class TemplateParser
{
    private readonly List<Piece> _pieces;
    private readonly string _name;
    private readonly bool _html;
    private readonly Dictionary<string, List<TemplateNode>> _defines;
    private readonly List<HashSet<string>> _scopes = [["$"]];
    private string _htmlTail = "";
    private int _i;

    private TemplateParser(string name, string source, bool html, Dictionary<string, List<TemplateNode>> defines)
    {
        _name = name;
        _html = html;
        _pieces = Split(source, name);
        _defines = defines;
    }

    /// <summary>Parses <paramref name="source"/>; <c>define</c>d templates are added to <paramref name="defines"/>.</summary>
    public static List<TemplateNode> Parse(string name, string source, bool html, Dictionary<string, List<TemplateNode>> defines)
    {
        var p = new TemplateParser(name, source, html, defines);
        var body = p.ParseList(out var end);
        if (end is not null) throw p.Error(end.Line, $"unexpected {{{{{end.Text}}}}}");
        return body;
    }

    /// <summary>Parses nodes until <c>end</c>/<c>else…</c> (returned in <paramref name="stop"/>) or the end of input.</summary>
    private List<TemplateNode> ParseList(out Piece? stop)
    {
        var nodes = new List<TemplateNode>();
        while (_i < _pieces.Count)
        {
            var piece = _pieces[_i++];
            if (!piece.IsAction)
            {
                nodes.Add(new TextNode(piece.Text));
                Tail(piece.Text);
                continue;
            }
            var tokens = Tokens(piece.Text, Where(piece.Line));
            if (tokens.Count == 0) throw Error(piece.Line, "missing value for command");
            var head = tokens[0].Kind == Kind.Ident ? tokens[0].Text : null;
            switch (head)
            {
                case "end" or "else":
                    stop = piece;
                    return nodes;
                case "if":
                    nodes.Add(ParseIf(piece, tokens, 1));
                    break;
                case "with":
                    nodes.Add(ParseWith(piece, tokens, 1));
                    break;
                case "range":
                    nodes.Add(ParseRange(piece, tokens));
                    break;
                case "define":
                    ParseDefine(piece, tokens);
                    break;
                case "template":
                case "block":
                    nodes.Add(ParseInclude(piece, tokens, head == "block"));
                    break;
                case "break" or "continue":
                    throw Error(piece.Line, $"{head} is not supported in message templates");
                default:
                    if (tokens.Count >= 2 && tokens[0].Kind == Kind.Variable && tokens[1].Kind is Kind.Declare or Kind.Assign)
                    {
                        var name = tokens[0].Text;
                        var declare = tokens[1].Kind == Kind.Declare;
                        if (!declare) RequireVariable(name, piece.Line);
                        var pos = 2;
                        var value = ParsePipeline(tokens, ref pos, piece.Line, false);
                        if (declare) _scopes[^1].Add(name);
                        nodes.Add(new AssignNode(name, declare, value, piece.Line));
                    }
                    else
                    {
                        var pos = 0;
                        var pipe = ParsePipeline(tokens, ref pos, piece.Line, false);
                        nodes.Add(new OutputNode(pipe, _html && UrlAttribute().IsMatch(_htmlTail), piece.Line));
                        Tail("x");
                    }
                    break;
            }
        }
        stop = null;
        return nodes;
    }

    private IfNode ParseIf(Piece piece, List<Token> tokens, int pos)
    {
        var condition = ParsePipeline(tokens, ref pos, piece.Line, false);
        var (then, elseNodes) = ParseBranches(piece, allowElseIf: "if");
        return new IfNode(condition, then, elseNodes, piece.Line);
    }

    private WithNode ParseWith(Piece piece, List<Token> tokens, int pos)
    {
        var value = ParsePipeline(tokens, ref pos, piece.Line, false);
        var (body, elseNodes) = ParseBranches(piece, allowElseIf: "with");
        return new WithNode(value, body, elseNodes, piece.Line);
    }

    private RangeNode ParseRange(Piece piece, List<Token> tokens)
    {
        string? keyVar = null, valueVar = null;
        var pos = 1;
        if (tokens.Count > 3 && tokens[1].Kind == Kind.Variable && tokens[2].Kind == Kind.Comma && tokens[3].Kind == Kind.Variable
            && tokens.Count > 4 && tokens[4].Kind is Kind.Declare)
        {
            (keyVar, valueVar, pos) = (tokens[1].Text, tokens[3].Text, 5);
        }
        else if (tokens.Count > 2 && tokens[1].Kind == Kind.Variable && tokens[2].Kind is Kind.Declare)
        {
            (valueVar, pos) = (tokens[1].Text, 3);
        }
        var items = ParsePipeline(tokens, ref pos, piece.Line, false);
        _scopes.Add([.. new[] { keyVar, valueVar }.OfType<string>()]);
        var body = ParseList(out var stop);
        _scopes.RemoveAt(_scopes.Count - 1);
        List<TemplateNode>? elseNodes = null;
        if (stop is not null && stop.Text == "else")
        {
            elseNodes = ParseScoped(out stop);
        }
        if (stop is null || stop.Text != "end") throw Error(piece.Line, "range without a matching {{end}}");
        return new RangeNode(items, keyVar, valueVar, body, elseNodes, piece.Line);
    }

    /// <summary>The body up to else/end, and the else part (an <c>else if</c> chain nests as an if in the else).</summary>
    private (List<TemplateNode> Then, List<TemplateNode>? Else) ParseBranches(Piece opener, string allowElseIf)
    {
        var then = ParseScoped(out var stop);
        if (stop is null) throw Error(opener.Line, $"{allowElseIf} without a matching {{{{end}}}}");
        if (stop.Text == "end") return (then, null);
        var tokens = Tokens(stop.Text, Where(stop.Line));
        if (tokens.Count == 1)
        {
            var elseNodes = ParseScoped(out var end);
            if (end is null || end.Text != "end") throw Error(opener.Line, $"{allowElseIf} without a matching {{{{end}}}}");
            return (then, elseNodes);
        }
        if (tokens[1].Kind == Kind.Ident && tokens[1].Text == allowElseIf)
        {
            // `else if` / `else with` shares the outer end.
            TemplateNode nested = allowElseIf == "if" ? ParseIf(stop, tokens, 2) : ParseWith(stop, tokens, 2);
            return (then, [nested]);
        }
        throw Error(stop.Line, $"unexpected {{{{{stop.Text}}}}}");
    }

    private List<TemplateNode> ParseScoped(out Piece? stop)
    {
        _scopes.Add([]);
        try { return ParseList(out stop); }
        finally { _scopes.RemoveAt(_scopes.Count - 1); }
    }

    private void ParseDefine(Piece piece, List<Token> tokens)
    {
        if (tokens.Count != 2 || tokens[1].Kind != Kind.String) throw Error(piece.Line, "define needs one quoted template name");
        var saved = _scopes.ToList();
        _scopes.Clear();
        _scopes.Add(["$"]);
        var body = ParseList(out var stop);
        _scopes.Clear();
        _scopes.AddRange(saved);
        if (stop is null || stop.Text != "end") throw Error(piece.Line, "define without a matching {{end}}");
        _defines[tokens[1].Text] = body;
    }

    private IncludeNode ParseInclude(Piece piece, List<Token> tokens, bool block)
    {
        if (tokens.Count < 2 || tokens[1].Kind != Kind.String) throw Error(piece.Line, $"{tokens[0].Text} needs a quoted template name");
        var pos = 2;
        var argument = pos < tokens.Count ? ParsePipeline(tokens, ref pos, piece.Line, false) : null;
        if (block)
        {
            var saved = _scopes.ToList();
            _scopes.Clear();
            _scopes.Add(["$"]);
            var body = ParseList(out var stop);
            _scopes.Clear();
            _scopes.AddRange(saved);
            if (stop is null || stop.Text != "end") throw Error(piece.Line, "block without a matching {{end}}");
            _defines.TryAdd(tokens[1].Text, body);
        }
        return new IncludeNode(tokens[1].Text, argument, piece.Line);
    }

    private void Tail(string text)
    {
        // Only the end of the HTML matters for "are we inside an href/src attribute value".
        _htmlTail = (_htmlTail + text) is var t && t.Length > 256 ? t[^256..] : t;
    }

    [GeneratedRegex(@"(?i)\b(href|src|action|formaction)\s*=\s*(""[^""]*|'[^']*)$")]
    private static partial Regex UrlAttribute();

    private string Where(int line) => $"{_name}:{line}";

    private TemplateException Error(int line, string what) => new($"{Where(line)}: {what}");
}
