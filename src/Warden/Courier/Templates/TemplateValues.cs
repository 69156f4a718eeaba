using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Warden.Courier.Templates;

/// <summary>
/// Values inside the template engine: string, long, double, bool, null, JsonObject (maps and the model),
/// JsonArray, or List&lt;object?&gt; from functions. JSON leaves are unwrapped on access.
/// </summary>
internal static class TemplateValues
{
    public static object? Unwrap(JsonNode? node) => node switch
    {
        null => null,
        JsonObject or JsonArray => node,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => (object?)(v.TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(v.ToJsonString())),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? (object)l
                : (object)double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };

    /// <summary>Go's notion of "true" for if/with/and/or/not: not false, zero, nil, or empty.</summary>
    public static bool Truth(object? v) => v switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        List<object?> list => list.Count > 0,
        _ => true,
    };

    /// <summary>How a value prints (Go's %v for the types a message model holds).</summary>
    public static string Print(object? v) => v switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        JsonNode n => n.ToJsonString(),
        List<object?> list => "[" + string.Join(" ", list.Select(Print)) + "]",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    public static string TypeName(object? v) => v switch
    {
        null => "nil",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float64",
        JsonObject => "map",
        JsonArray or List<object?> => "slice",
        _ => v.GetType().Name,
    };

    /// <summary>The items a range visits: array elements, or map values in key order (as Go sorts map keys).</summary>
    public static IEnumerable<(object? Key, object? Value)> Items(object? v, string where) => v switch
    {
        null => [],
        JsonArray a => a.Select((n, i) => ((object?)(long)i, Unwrap(n))),
        List<object?> list => list.Select((x, i) => ((object?)(long)i, x)),
        JsonObject o => o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ((object?)p.Key, Unwrap(p.Value))),
        long n => Enumerable.Range(0, (int)Math.Clamp(n, 0, 10_000)).Select(i => ((object?)(long)i, (object?)(long)i)),
        _ => throw new TemplateException($"{where}: range can't iterate over {TypeName(v)}"),
    };

    public static object? Field(object? v, string name, string where) => v switch
    {
        // Kratos compat: a missing key on a map prints as nothing (Go's text/template would print "<no value>").
        null => null,
        JsonObject o => o.TryGetPropertyValue(name, out var child) ? Unwrap(child) : null,
        _ => throw new TemplateException($"{where}: can't evaluate field {name} in type {TypeName(v)}"),
    };

    public static bool Equal(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        (JsonNode x, JsonNode y) => JsonNode.DeepEquals(x, y),
        _ => Equals(a, b),
    };

    public static int Compare(object? a, object? b, string where) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (long x, double y) => ((double)x).CompareTo(y),
        (double x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => throw new TemplateException($"{where}: incompatible types for comparison ({TypeName(a)} and {TypeName(b)})"),
    };
}
