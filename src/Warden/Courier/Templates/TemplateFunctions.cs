using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Warden.Courier.Templates.TemplateValues;

namespace Warden.Courier.Templates;

/// <summary>
/// The functions a template may call: Go's built-ins plus the deterministic string helpers from the sprig
/// library that Kratos' templates can use. Anything else is refused when the template is loaded.
/// </summary>
internal static class TemplateFunctions
{
    private delegate object? Fn(IReadOnlyList<object?> a, string where);

    private static readonly Dictionary<string, Fn> All = new(StringComparer.Ordinal)
    {
        // Go text/template built-ins.
        ["and"] = (a, w) => { Arity(a, 1, int.MaxValue, "and", w); foreach (var x in a) if (!Truth(x)) return x; return a[^1]; },
        ["or"] = (a, w) => { Arity(a, 1, int.MaxValue, "or", w); foreach (var x in a) if (Truth(x)) return x; return a[^1]; },
        ["not"] = (a, w) => { Arity(a, 1, 1, "not", w); return !Truth(a[0]); },
        ["len"] = (a, w) => { Arity(a, 1, 1, "len", w); return Length(a[0], w); },
        ["index"] = Index,
        ["eq"] = (a, w) => { Arity(a, 2, int.MaxValue, "eq", w); return a.Skip(1).Any(b => Equal(a[0], b)); },
        ["ne"] = (a, w) => { Arity(a, 2, 2, "ne", w); return !Equal(a[0], a[1]); },
        ["lt"] = (a, w) => { Arity(a, 2, 2, "lt", w); return Compare(a[0], a[1], w) < 0; },
        ["le"] = (a, w) => { Arity(a, 2, 2, "le", w); return Compare(a[0], a[1], w) <= 0; },
        ["gt"] = (a, w) => { Arity(a, 2, 2, "gt", w); return Compare(a[0], a[1], w) > 0; },
        ["ge"] = (a, w) => { Arity(a, 2, 2, "ge", w); return Compare(a[0], a[1], w) >= 0; },
        ["print"] = (a, _) => Sprint(a),
        ["println"] = (a, _) => string.Join(" ", a.Select(Print)) + "\n",
        ["printf"] = Printf,
        ["html"] = (a, _) => TemplateEscaping.Html(Sprint(a)),
        ["urlquery"] = (a, _) => Uri.EscapeDataString(Sprint(a)),
        ["js"] = (a, _) => TemplateEscaping.Js(Sprint(a)),
        // sprig string helpers (argument order as in sprig: the subject string comes last, for pipelines).
        ["upper"] = (a, w) => Str(a, 1, "upper", w)[0].ToUpperInvariant(),
        ["lower"] = (a, w) => Str(a, 1, "lower", w)[0].ToLowerInvariant(),
        ["title"] = (a, w) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Str(a, 1, "title", w)[0]),
        ["trim"] = (a, w) => Str(a, 1, "trim", w)[0].Trim(),
        ["trimAll"] = (a, w) => Str(a, 2, "trimAll", w) is var s ? s[1].Trim(s[0].ToCharArray()) : null,
        ["trimPrefix"] = (a, w) => Str(a, 2, "trimPrefix", w) is var s && s[1].StartsWith(s[0], StringComparison.Ordinal) ? s[1][s[0].Length..] : Print(a[1]),
        ["trimSuffix"] = (a, w) => Str(a, 2, "trimSuffix", w) is var s && s[1].EndsWith(s[0], StringComparison.Ordinal) ? s[1][..^s[0].Length] : Print(a[1]),
        ["contains"] = (a, w) => Str(a, 2, "contains", w) is var s && s[1].Contains(s[0], StringComparison.Ordinal),
        ["hasPrefix"] = (a, w) => Str(a, 2, "hasPrefix", w) is var s && s[1].StartsWith(s[0], StringComparison.Ordinal),
        ["hasSuffix"] = (a, w) => Str(a, 2, "hasSuffix", w) is var s && s[1].EndsWith(s[0], StringComparison.Ordinal),
        ["replace"] = (a, w) => Str(a, 3, "replace", w) is var s ? s[2].Replace(s[0], s[1], StringComparison.Ordinal) : null,
        ["repeat"] = (a, w) => { Arity(a, 2, 2, "repeat", w); return string.Concat(Enumerable.Repeat(Print(a[1]), (int)Math.Clamp(Num(a[0], w), 0, 1000))); },
        ["trunc"] = (a, w) => { Arity(a, 2, 2, "trunc", w); var s = Print(a[1]); var n = (int)Num(a[0], w); return n >= 0 ? s[..Math.Min(n, s.Length)] : s[Math.Max(0, s.Length + n)..]; },
        ["nospace"] = (a, w) => string.Concat(Str(a, 1, "nospace", w)[0].Where(c => !char.IsWhiteSpace(c))),
        ["quote"] = (a, _) => string.Join(" ", a.Select(x => JsonSerializer.Serialize(Print(x)))),
        ["squote"] = (a, _) => string.Join(" ", a.Select(x => "'" + Print(x) + "'")),
        ["default"] = (a, w) => { Arity(a, 1, 2, "default", w); return a.Count == 2 && Truth(a[1]) ? a[1] : a[0]; },
        ["empty"] = (a, w) => { Arity(a, 1, 1, "empty", w); return !Truth(a[0]); },
        ["coalesce"] = (a, _) => a.FirstOrDefault(Truth),
        ["toString"] = (a, w) => { Arity(a, 1, 1, "toString", w); return Print(a[0]); },
        ["toJson"] = (a, w) => { Arity(a, 1, 1, "toJson", w); return ToJson(a[0]); },
        ["join"] = (a, w) => { Arity(a, 2, 2, "join", w); return string.Join(Print(a[0]), Items(a[1], w).Select(x => Print(x.Value))); },
        ["b64enc"] = (a, w) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 1, "b64enc", w)[0])),
        ["list"] = (a, _) => a.ToList(),
    };

    public static bool IsKnown(string name) => All.ContainsKey(name);

    public static string KnownList { get; } = string.Join(", ", All.Keys.Order(StringComparer.Ordinal));

    public static object? Call(string name, IReadOnlyList<object?> args, string where) => All[name](args, where);

    private static void Arity(IReadOnlyList<object?> a, int min, int max, string name, string where)
    {
        if (a.Count < min || a.Count > max)
            throw new TemplateException($"{where}: wrong number of arguments for {name}: got {a.Count}");
    }

    private static string[] Str(IReadOnlyList<object?> a, int n, string name, string where)
    {
        Arity(a, n, n, name, where);
        return a.Select(Print).ToArray();
    }

    private static long Num(object? v, string where) => v switch
    {
        long l => l,
        double d => (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw new TemplateException($"{where}: expected a number, got {TypeName(v)}"),
    };

    private static object? Length(object? v, string where) => v switch
    {
        string s => (long)Encoding.UTF8.GetByteCount(s), // Go counts bytes
        JsonArray a => (long)a.Count,
        JsonObject o => (long)o.Count,
        List<object?> l => (long)l.Count,
        _ => throw new TemplateException($"{where}: len of {TypeName(v)}"),
    };

    private static object? Index(IReadOnlyList<object?> a, string where)
    {
        Arity(a, 1, int.MaxValue, "index", where);
        var v = a[0];
        foreach (var key in a.Skip(1))
        {
            v = (v, key) switch
            {
                (null, _) => null,
                (JsonObject o, _) => o.TryGetPropertyValue(Print(key), out var child) ? Unwrap(child) : null,
                (JsonArray arr, long i) when i >= 0 && i < arr.Count => Unwrap(arr[(int)i]),
                (List<object?> list, long i) when i >= 0 && i < list.Count => list[(int)i],
                (JsonArray or List<object?>, _) => throw new TemplateException($"{where}: index out of range: {Print(key)}"),
                _ => throw new TemplateException($"{where}: can't index item of type {TypeName(v)}"),
            };
        }
        return v;
    }

    /// <summary>Go's fmt.Sprint: a space goes between two operands only when neither is a string.</summary>
    private static string Sprint(IReadOnlyList<object?> a)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < a.Count; i++)
        {
            if (i > 0 && a[i] is not string && a[i - 1] is not string) sb.Append(' ');
            sb.Append(Print(a[i]));
        }
        return sb.ToString();
    }

    private static object? Printf(IReadOnlyList<object?> a, string where)
    {
        Arity(a, 1, int.MaxValue, "printf", where);
        var format = Print(a[0]);
        var sb = new StringBuilder();
        var next = 1;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length) { sb.Append(format[i]); continue; }
            var verb = format[++i];
            if (verb == '%') { sb.Append('%'); continue; }
            var arg = next < a.Count ? a[next++] : null;
            sb.Append(verb switch
            {
                'q' => JsonSerializer.Serialize(Print(arg)),
                'd' => Num(arg, where).ToString(CultureInfo.InvariantCulture),
                'x' => arg is long l ? l.ToString("x", CultureInfo.InvariantCulture) : Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Print(arg))),
                _ => Print(arg), // %s %v %t
            });
        }
        return sb.ToString();
    }

    private static string ToJson(object? v) => v switch
    {
        JsonNode n => n.ToJsonString(),
        List<object?> l => "[" + string.Join(",", l.Select(ToJson)) + "]",
        _ => JsonSerializer.Serialize(v),
    };
}

/// <summary>Escaping for HTML bodies (every output there is escaped, like Go's html/template does).</summary>
internal static class TemplateEscaping
{
    public static string Html(string s)
    {
        if (s.AsSpan().IndexOfAny("&<>\"'\0") < 0) return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&#34;", '\'' => "&#39;", '\0' => "\uFFFD", _ => c.ToString() });
        return sb.ToString();
    }

    public static string Js(string s) => JsonSerializer.Serialize(s)[1..^1].Replace("<", "\\u003C").Replace(">", "\\u003E").Replace("'", "\\u0027");

    /// <summary>A value inside href/src: only http(s), mailto and relative URLs pass; anything else becomes Go's marker.</summary>
    public static string Url(string s)
    {
        var colon = s.IndexOf(':');
        var slash = s.IndexOfAny(['/', '?', '#']);
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            var scheme = s[..colon].ToLowerInvariant();
            if (scheme is not ("http" or "https" or "mailto")) return "#ZgotmplZ";
        }
        return Html(s);
    }
}
