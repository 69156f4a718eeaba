using System.Globalization;
using System.Text;

namespace Warden.Courier.Templates;

/// <summary>Splits template source into text and <c>{{ action }}</c> pieces, applying <c>{{-</c>/<c>-}}</c> trimming.</summary>
internal static class TemplateLexer
{
    public sealed record Piece(bool IsAction, string Text, int Line);

    public static List<Piece> Split(string source, string name)
    {
        var pieces = new List<Piece>();
        var pos = 0;
        var line = 1;
        var trimNext = false;
        while (pos < source.Length)
        {
            var open = source.IndexOf("{{", pos, StringComparison.Ordinal);
            var text = open < 0 ? source[pos..] : source[pos..open];
            var trimLeft = open >= 0 && open + 3 < source.Length && source[open + 2] == '-' && char.IsWhiteSpace(source[open + 3]);
            var kept = text;
            if (trimNext) kept = kept.TrimStart();
            if (trimLeft) kept = kept.TrimEnd();
            if (kept.Length > 0) pieces.Add(new Piece(false, kept, line));
            line += Count(text, '\n');
            if (open < 0) break;

            var start = open + (trimLeft ? 3 : 2);
            var close = FindClose(source, start, name, line);
            var end = close;
            var trimRight = close - 2 >= start && source[close - 1] == '-' && char.IsWhiteSpace(source[close - 2]);
            if (trimRight) end = close - 1;
            var content = source[start..end].Trim();
            if (!(content.StartsWith("/*", StringComparison.Ordinal) && content.EndsWith("*/", StringComparison.Ordinal)))
                pieces.Add(new Piece(true, content, line));
            line += Count(source.AsSpan(open, close + 2 - open), '\n');
            trimNext = trimRight;
            pos = close + 2;
        }
        return pieces;
    }

    /// <summary>The index of the <c>}}</c> closing an action; quoted strings may contain braces.</summary>
    private static int FindClose(string s, int i, string name, int line)
    {
        while (i < s.Length)
        {
            var c = s[i];
            if (c is '"' or '`' or '\'')
            {
                i++;
                while (i < s.Length && s[i] != c)
                {
                    if (c != '`' && s[i] == '\\') i++;
                    else if (c != '`' && s[i] == '\n') throw new TemplateException($"{name}:{line}: unterminated quoted string");
                    i++;
                }
                i++;
                continue;
            }
            if (c == '}' && i + 1 < s.Length && s[i + 1] == '}') return i;
            i++;
        }
        throw new TemplateException($"{name}:{line}: unclosed action (missing }}}})");
    }

    private static int Count(ReadOnlySpan<char> s, char c)
    {
        var n = 0;
        foreach (var x in s) if (x == c) n++;
        return n;
    }

    public enum Kind { Ident, Field, Variable, String, Number, Pipe, LParen, RParen, Declare, Assign, Comma }

    /// <summary><paramref name="Adjacent"/>: no space before it (so <c>$x.Name</c> chains, <c>$x .Name</c> does not).</summary>
    public sealed record Token(Kind Kind, string Text, object? Value, bool Adjacent);

    /// <summary>Tokenizes an action's content.</summary>
    public static List<Token> Tokens(string action, string where)
    {
        var list = new List<Token>();
        var i = 0;
        var adjacent = false;
        while (i < action.Length)
        {
            var c = action[i];
            if (char.IsWhiteSpace(c)) { i++; adjacent = false; continue; }
            var start = i;
            Token t;
            if (c == '|') { t = new(Kind.Pipe, "|", null, adjacent); i++; }
            else if (c == '(') { t = new(Kind.LParen, "(", null, adjacent); i++; }
            else if (c == ')') { t = new(Kind.RParen, ")", null, adjacent); i++; }
            else if (c == ',') { t = new(Kind.Comma, ",", null, adjacent); i++; }
            else if (c == ':' && i + 1 < action.Length && action[i + 1] == '=') { t = new(Kind.Declare, ":=", null, adjacent); i += 2; }
            else if (c == '=') { t = new(Kind.Assign, "=", null, adjacent); i++; }
            else if (c is '"' or '`') { var s = ReadString(action, ref i, where); t = new(Kind.String, s, s, adjacent); }
            else if (c == '\'') { var s = ReadString(action, ref i, where); t = new(Kind.Number, s, s.Length == 1 ? (long)s[0] : throw Bad(where, "bad character literal"), adjacent); }
            else if (c == '.' && (i + 1 >= action.Length || !char.IsDigit(action[i + 1])))
            {
                i++;
                while (i < action.Length && IsIdent(action[i])) i++;
                t = new(Kind.Field, action[(start + 1)..i], null, adjacent);
            }
            else if (c == '$')
            {
                i++;
                while (i < action.Length && IsIdent(action[i])) i++;
                t = new(Kind.Variable, action[start..i], null, adjacent);
            }
            else if (char.IsDigit(c) || ((c is '-' or '+' or '.') && i + 1 < action.Length && (char.IsDigit(action[i + 1]) || action[i + 1] == '.')))
            {
                i++;
                while (i < action.Length && (char.IsLetterOrDigit(action[i]) || action[i] is '.' or '_')) i++;
                var text = action[start..i].Replace("_", "");
                object value = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l
                    : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                    : throw Bad(where, $"bad number syntax: {text}");
                t = new(Kind.Number, text, value, adjacent);
            }
            else if (IsIdent(c))
            {
                while (i < action.Length && IsIdent(action[i])) i++;
                t = new(Kind.Ident, action[start..i], null, adjacent);
            }
            else throw Bad(where, $"unexpected \"{c}\" in action");
            list.Add(t);
            adjacent = true;
        }
        return list;
    }

    private static bool IsIdent(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string ReadString(string s, ref int i, string where)
    {
        var quote = s[i++];
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= s.Length) throw Bad(where, "unterminated quoted string");
            var c = s[i++];
            if (c == quote) return sb.ToString();
            if (quote == '`' || c != '\\') { sb.Append(c); continue; }
            if (i >= s.Length) throw Bad(where, "unterminated quoted string");
            var e = s[i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'u' when i + 4 <= s.Length && int.TryParse(s.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var u):
                    sb.Append((char)u); i += 4; break;
                case 'x' when i + 2 <= s.Length && int.TryParse(s.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var x):
                    sb.Append((char)x); i += 2; break;
                default: throw Bad(where, $"unknown escape sequence \\{e}");
            }
        }
    }

    private static TemplateException Bad(string where, string what) => new($"{where}: {what}");
}
