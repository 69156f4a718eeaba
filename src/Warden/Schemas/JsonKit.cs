using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// JSON Schema's view of JSON values: type names, numbers and equality as draft-07 defines them
/// (1 and 1.0 are equal and both integers; object key order does not matter).
/// </summary>
internal static class JsonKit
{
    public static JsonValueKind Kind(JsonNode? node) => node switch
    {
        null => JsonValueKind.Null,
        JsonObject => JsonValueKind.Object,
        JsonArray => JsonValueKind.Array,
        JsonValue v => v.GetValueKind(),
        _ => JsonValueKind.Undefined,
    };

    /// <summary>The draft-07 type name of a value; integral numbers report as "integer".</summary>
    public static string TypeName(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => IsInteger(node) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    public static bool HasType(JsonNode? node, string type) => type switch
    {
        "number" => Kind(node) == JsonValueKind.Number,
        "integer" => IsInteger(node),
        _ => TypeName(node) == type,
    };

    public static bool IsInteger(JsonNode? node) =>
        Kind(node) == JsonValueKind.Number && TryNumber(node, out var d) && !double.IsInfinity(d) && Math.Floor(d) == d;

    public static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        // Parsing the JSON text works the same for parsed and constructed values (long, int, double).
        return Kind(node) == JsonValueKind.Number &&
               double.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        return Kind(node) == JsonValueKind.Number &&
               decimal.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The string a JSON value holds; null for anything else (absent, null, numbers, objects, arrays).</summary>
    public static string? AsString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool? AsBool(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static bool TryInt(JsonNode? node, out long value)
    {
        value = 0;
        if (!IsInteger(node) || !TryNumber(node, out var d) || d < long.MinValue || d > long.MaxValue) return false;
        value = (long)d;
        return true;
    }

    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        var ka = Kind(a);
        var kb = Kind(b);
        if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
        {
            if (TryDecimal(a, out var da) && TryDecimal(b, out var db)) return da == db;
            return TryNumber(a, out var x) && TryNumber(b, out var y) && x.Equals(y);
        }
        if (ka != kb) return false;
        switch (ka)
        {
            case JsonValueKind.String:
                return string.Equals(AsString(a), AsString(b), StringComparison.Ordinal);
            case JsonValueKind.Array:
                var aa = (JsonArray)a!;
                var ab = (JsonArray)b!;
                if (aa.Count != ab.Count) return false;
                for (var i = 0; i < aa.Count; i++)
                    if (!DeepEquals(aa[i], ab[i])) return false;
                return true;
            case JsonValueKind.Object:
                var oa = (JsonObject)a!;
                var ob = (JsonObject)b!;
                if (oa.Count != ob.Count) return false;
                foreach (var (key, value) in oa)
                    if (!ob.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other)) return false;
                return true;
            default:
                return true; // true/false/null: the kinds already matched
        }
    }

    /// <summary>A copy safe to put into another tree (a node can have only one parent).</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Short display form for messages: strings quoted, everything else as JSON.</summary>
    public static string Display(JsonNode? node) => node is null ? "null" : node.ToJsonString(Http.WardenJson.Options);
}
