using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Warden.Config;

/// <summary>
/// Kratos compat: any config key can be set from the environment by upper-casing its path and joining
/// the segments with underscores (<c>DSN</c>, <c>SERVE_PUBLIC_PORT</c>, <c>SELFSERVICE_FLOWS_LOGIN_UI_URL</c>,
/// <c>IDENTITY_SCHEMAS_0_URL</c>). Which underscores separate segments is decided by the key catalog.
/// Values are typed by the key: integers and booleans are converted, lists take JSON (<c>["a","b"]</c>) or,
/// for lists of scalars, comma separated values (<c>SECRETS_COOKIE=a,b</c>), mappings and lists of
/// mappings take JSON (<c>IDENTITY_SCHEMAS=[{"id":"default","url":"file://..."}]</c>).
/// Variables that name no key are ignored: the environment is full of unrelated ones.
/// </summary>
public static class EnvironmentOverrides
{
    /// <summary>
    /// Top-level keys that only mirror command-line flags. Containers commonly set VERSION, CONFIG or HELP
    /// for their own purposes; reading those as Warden config would break startup for no benefit.
    /// </summary>
    private static readonly HashSet<string> NotFromEnvironment =
        ["version", "config", "help", "revision", "sqa-opt-out", "watch-courier", "expose-metrics-port"];

    public static void Apply(JsonObject root, IDictionary<string, string?> environment)
    {
        var catalog = KeyCatalog.Instance;
        // Ordinal order makes the result independent of the platform's enumeration order.
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            // An empty variable is how compose files and shells usually say "not set".
            if (string.IsNullOrEmpty(value) || name.Length == 0) continue;
            var template = catalog.TemplateForEnv(name);
            if (template is null || NotFromEnvironment.Contains(template.Split('.')[0])) continue;
            var segments = Concrete(template, name);
            if (segments is null) continue;
            Set(root, segments, Convert(value, template, catalog));
        }
    }

    /// <summary>The template's segments with <c>#</c> replaced by the indices written in the variable name.</summary>
    private static List<string>? Concrete(string template, string name)
    {
        var indices = new Queue<string>(name.Split('_').Where(p => p.Length > 0 && p.All(char.IsAsciiDigit)));
        var result = new List<string>();
        foreach (var segment in template.Split('.'))
        {
            if (segment != "#") result.Add(segment);
            else if (indices.TryDequeue(out var index)) result.Add(index);
            else return null;
        }
        return result;
    }

    internal static JsonNode? Convert(string value, string template, KeyCatalog catalog)
    {
        var type = catalog.TypeOf(template)!;
        if (type.Is("array"))
        {
            if (TryJson(value) is JsonArray array) return array;
            var item = catalog.TypeOf(template + ".#");
            // Kratos compat: a list of scalars may be given as one comma separated (CSV) record.
            if (item is not null && !item.Is("object") && !item.Is("array"))
                return new JsonArray(Csv.ParseRecord(value).Select(v => Scalar(v, item)).ToArray());
            return JsonValue.Create(value);
        }
        if (type.Is("object") || type.Any)
        {
            if (TryJson(value) is { } json && (type.Any || json is JsonObject)) return json;
            return type.Any ? ConfigLoader.ParseScalar(value) : JsonValue.Create(value);
        }
        return Scalar(value, type);
    }

    /// <summary>Converts to the key's type when the text is a valid value of it; otherwise keeps the text so
    /// validation can name the key and the bad value instead of a silent zero or false.</summary>
    private static JsonNode? Scalar(string value, KeyType type)
    {
        if (type.Is("integer") && long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (type.Is("number") && double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        if (type.Is("boolean") && ParseGoBool(value.Trim()) is { } b) return JsonValue.Create(b);
        return JsonValue.Create(value);
    }

    /// <summary>The spellings Go's strconv.ParseBool accepts, which is what Kratos uses for env values.</summary>
    private static bool? ParseGoBool(string s) => s switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };

    private static JsonNode? TryJson(string value)
    {
        var t = value.TrimStart();
        if (t.Length == 0 || (t[0] != '[' && t[0] != '{')) return null;
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="value"/> at the path, creating mappings and lists on the way.</summary>
    private static void Set(JsonObject root, List<string> segments, JsonNode? value)
    {
        JsonNode parent = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var last = i == segments.Count - 1;
            var nextIsIndex = !last && IsIndex(segments[i + 1]);
            JsonNode? Fresh() => last ? value : nextIsIndex ? new JsonArray() : new JsonObject();
            if (parent is JsonObject obj)
            {
                var existing = obj[segments[i]];
                if (last || existing is null || (nextIsIndex ? existing is not JsonArray : existing is not JsonObject))
                    obj[segments[i]] = existing = Fresh();
                if (last) return;
                parent = existing!;
            }
            else if (parent is JsonArray array)
            {
                var index = int.Parse(segments[i], CultureInfo.InvariantCulture);
                if (index > 10_000) return; // a typo, not a real list position; do not allocate for it
                while (array.Count <= index) array.Add(null);
                var existing = array[index];
                if (last || existing is null || (nextIsIndex ? existing is not JsonArray : existing is not JsonObject))
                    array[index] = existing = Fresh();
                if (last) return;
                parent = existing!;
            }
        }
    }

    private static bool IsIndex(string segment) => segment.Length > 0 && segment.All(char.IsAsciiDigit);
}
