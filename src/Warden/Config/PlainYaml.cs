using System.Text;
using System.Text.Json.Nodes;

namespace Warden.Config;

/// <summary>
/// Reads the plain part of YAML that config files are nearly always written in: block mappings and sequences
/// by indentation, one-line scalars (plain, 'single' or "double" quoted), one-line flow collections
/// (<c>{ port: 4433 }</c>, <c>[a, b]</c>) and comments. Anything else (anchors, aliases, tags, block scalars,
/// values over several lines, document markers, tabs, JSON over several lines) makes <see cref="TryRead"/>
/// answer false and <see cref="YamlReader"/> hands the text to YamlDotNet, so no config reads differently.
/// Why a second reader: every YamlDotNet parse builds a <c>RegexOptions.Compiled</c> regex (its tag handle
/// check) and JIT-compiles the parser, which an idle server then carries for its whole life (0.7 MB on
/// PostgreSQL; docs/performance-history.md, round 17). Tests compare both readers on every config they know.
/// </summary>
internal static class PlainYaml
{
    private sealed class NotPlain : Exception;

    private readonly record struct Line(int Indent, string Text);

    // Deeper than YamlReader's limit: let YamlDotNet's reader report it.
    private const int MaxDepth = 64;

    public static bool TryRead(string text, out JsonNode? result)
    {
        result = null;
        if (text.Length > 0 && text[0] == '\uFEFF') return false;
        try
        {
            var lines = Lines(text);
            if (lines.Count == 0) return true;
            var at = 0;
            result = Block(lines, ref at, lines[0].Indent, 0);
            return at == lines.Count;
        }
        catch (NotPlain)
        {
            return false;
        }
    }

    /// <summary>The lines that hold content, without comments-only lines; anything outside the subset throws.</summary>
    private static List<Line> Lines(string text)
    {
        var result = new List<Line>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var indent = 0;
            while (indent < line.Length && line[indent] == ' ') indent++;
            var content = line[indent..].TrimEnd(' ');
            if (content.Length == 0 || content[0] == '#') continue;
            if (content[0] is '\t' or '%' || content.StartsWith("---", StringComparison.Ordinal) || content.StartsWith("...", StringComparison.Ordinal))
                throw new NotPlain();
            result.Add(new Line(indent, content));
        }
        return result;
    }

    private static JsonNode? Block(List<Line> lines, ref int at, int indent, int depth) =>
        depth > MaxDepth ? throw new NotPlain()
        : IsItem(lines[at].Text) ? Sequence(lines, ref at, indent, depth + 1) : Mapping(lines, ref at, indent, depth + 1);

    private static bool IsItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private static JsonArray Sequence(List<Line> lines, ref int at, int indent, int depth)
    {
        var array = new JsonArray();
        while (at < lines.Count && lines[at].Indent == indent && IsItem(lines[at].Text))
        {
            var line = lines[at];
            var rest = line.Text.Length == 1 ? "" : line.Text[2..].TrimStart(' ');
            if (rest.Length == 0)
            {
                at++;
                array.Add(Nested(lines, ref at, indent, depth, allowSameIndentItems: false));
            }
            else if (KeyEnd(rest) >= 0)
            {
                // "- key: value" opens a mapping whose further keys line up with "key".
                var inner = line.Indent + (line.Text.Length - rest.Length);
                lines[at] = new Line(inner, rest);
                array.Add(Mapping(lines, ref at, inner, depth + 1));
            }
            else
            {
                at++;
                array.Add(Value(rest));
                NoDeeperLine(lines, at, indent);
            }
        }
        NoDeeperLine(lines, at, indent);
        return array;
    }

    private static JsonObject Mapping(List<Line> lines, ref int at, int indent, int depth)
    {
        var obj = new JsonObject();
        while (at < lines.Count && lines[at].Indent == indent && !IsItem(lines[at].Text))
        {
            var text = lines[at].Text;
            var colon = KeyEnd(text);
            if (colon < 0) throw new NotPlain();
            var key = Key(text[..colon]);
            var rest = text[(colon + 1)..].TrimStart(' ');
            at++;
            JsonNode? value;
            if (rest.Length == 0 || rest[0] == '#') value = Nested(lines, ref at, indent, depth, allowSameIndentItems: true);
            else
            {
                value = Value(rest);
                NoDeeperLine(lines, at, indent);
            }
            // Kratos compat: a repeated key merges as in YamlReader (later sections win key by key).
            if (value is JsonObject later && obj[key] is JsonObject earlier) ConfigLoader.Merge(earlier, later);
            else obj[key] = value;
        }
        NoDeeperLine(lines, at, indent);
        return obj;
    }

    /// <summary>The block under a key or a bare "-": deeper lines, or "- " items at the key's own indent.</summary>
    private static JsonNode? Nested(List<Line> lines, ref int at, int indent, int depth, bool allowSameIndentItems)
    {
        if (at < lines.Count && lines[at].Indent > indent) return Block(lines, ref at, lines[at].Indent, depth);
        if (allowSameIndentItems && at < lines.Count && lines[at].Indent == indent && IsItem(lines[at].Text))
            return Sequence(lines, ref at, indent, depth + 1);
        return ConfigLoader.ParseScalar("");
    }

    // A deeper line after a one-line value would continue it (a plain scalar over several lines), and one after a
    // block that no rule consumed is indentation YAML would reject or read otherwise: not plain either way.
    private static void NoDeeperLine(List<Line> lines, int at, int indent)
    {
        if (at < lines.Count && lines[at].Indent > indent) throw new NotPlain();
    }

    /// <summary>Index of the ':' ending a mapping key on this line, or -1 (quoted keys included).</summary>
    private static int KeyEnd(string text)
    {
        var i = 0;
        if (text[0] is '"' or '\'')
        {
            Quoted(text, 0, out var end);
            i = end - 1; // the closing quote
            return i + 1 < text.Length && text[i + 1] == ':' && (i + 2 == text.Length || text[i + 2] == ' ') ? i + 1 : -1;
        }
        if (text[0] is '[' or '{' or '&' or '*' or '!' or '|' or '>' or '?' or '@' or '`' or '#') return -1;
        for (; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' ')) return i;
            if (text[i] == '#' && i > 0 && text[i - 1] == ' ') return -1;
        }
        return -1;
    }

    private static string Key(string raw)
    {
        raw = raw.TrimEnd(' ');
        if (raw.Length == 0) throw new NotPlain();
        if (raw[0] is '"' or '\'') return Quoted(raw, 0, out var end) is var s && end == raw.Length ? s : throw new NotPlain();
        return raw == "<<" ? throw new NotPlain() : raw; // a merge key: YamlReader's job
    }

    /// <summary>A one-line value: a flow collection, a quoted or a plain scalar, with an optional trailing comment.</summary>
    private static JsonNode? Value(string text)
    {
        var i = 0;
        var node = FlowValue(text, ref i, inFlow: false, 0);
        while (i < text.Length && text[i] == ' ') i++;
        if (i < text.Length && text[i] != '#') throw new NotPlain();
        return node;
    }

    private static JsonNode? FlowValue(string text, ref int i, bool inFlow, int depth)
    {
        if (depth > MaxDepth) throw new NotPlain();
        while (i < text.Length && text[i] == ' ') i++;
        if (i >= text.Length) throw new NotPlain();
        switch (text[i])
        {
            case '[':
            {
                var array = new JsonArray();
                i++;
                if (Skip(text, ref i) == ']') { i++; return array; }
                while (true)
                {
                    array.Add(FlowValue(text, ref i, inFlow: true, depth + 1));
                    var c = Skip(text, ref i);
                    i++;
                    if (c == ']') return array;
                    if (c != ',') throw new NotPlain();
                }
            }
            case '{':
            {
                var obj = new JsonObject();
                i++;
                if (Skip(text, ref i) == '}') { i++; return obj; }
                while (true)
                {
                    var key = FlowValue(text, ref i, inFlow: true, depth + 1) is JsonValue k && k.TryGetValue<string>(out var name) ? name : throw new NotPlain();
                    if (Skip(text, ref i) != ':') throw new NotPlain();
                    i++;
                    var c0 = Skip(text, ref i);
                    // "{ key: }" and "{ key, … }" hold null; YamlDotNet agrees.
                    var value = c0 is ',' or '}' ? ConfigLoader.ParseScalar("") : FlowValue(text, ref i, inFlow: true, depth + 1);
                    if (obj.ContainsKey(key)) throw new NotPlain();
                    obj[key] = value;
                    var c = Skip(text, ref i);
                    i++;
                    if (c == '}') return obj;
                    if (c != ',') throw new NotPlain();
                }
            }
            case '"' or '\'':
            {
                var s = Quoted(text, i, out var end);
                i = end;
                return JsonValue.Create(s);
            }
            default:
                return ConfigLoader.ParseScalar(Plain(text, ref i, inFlow));
        }
    }

    private static char Skip(string text, ref int i)
    {
        while (i < text.Length && text[i] == ' ') i++;
        return i < text.Length ? text[i] : throw new NotPlain();
    }

    private static string Plain(string text, ref int i, bool inFlow)
    {
        if (text[i] is '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or '?' or ']' or '}' or ',' or '#') throw new NotPlain();
        if (text[i] == '-' && (i + 1 == text.Length || text[i + 1] == ' ')) throw new NotPlain();
        var start = i;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '#' && text[i - 1] == ' ') break;
            if (c == ':' && (i + 1 == text.Length || text[i + 1] == ' ' || (inFlow && text[i + 1] is ',' or '}' or ']'))) break;
            if (inFlow && c is ',' or ']' or '}' or '[' or '{') break;
            if (c == '\t') throw new NotPlain();
        }
        var value = text[start..i].TrimEnd(' ');
        // A colon that ends a plain value outside a flow would make a nested mapping on one line ("a: b: c").
        if (!inFlow && i < text.Length && text[i] == ':') throw new NotPlain();
        return value.Length > 0 ? value : throw new NotPlain();
    }

    private static string Quoted(string text, int start, out int end)
    {
        var quote = text[start];
        var b = new StringBuilder();
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
            {
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'') { b.Append('\''); i++; continue; }
                end = i + 1;
                return b.ToString();
            }
            if (c == '\\' && quote == '"')
            {
                if (++i >= text.Length) break;
                b.Append(text[i] switch
                {
                    '"' => "\"", '\\' => "\\", '/' => "/", 'n' => "\n", 't' => "\t", 'r' => "\r", '0' => "\0",
                    _ => throw new NotPlain(), // \u, \x, line folding and the rarer escapes: YamlDotNet's job
                });
                continue;
            }
            b.Append(c);
        }
        throw new NotPlain(); // unterminated on this line: a quoted scalar over several lines
    }
}
