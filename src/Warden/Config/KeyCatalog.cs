using System.Text.Json;
using System.Text.Json.Nodes;

namespace Warden.Config;

/// <summary>
/// Every key path of the Kratos config format with its JSON type (ConfigKeys.embedded.json, generated once
/// from Kratos' config schema by ConfigKeys.generate.py) plus Warden's own extensions. Array items are
/// written <c>#</c> (<c>identity.schemas.#.url</c>). Used to type environment overrides, to find keys that
/// are not part of the format at all, and to check value types.
/// </summary>
internal sealed class KeyCatalog
{
    private const string ResourceSuffix = "Config.ConfigKeys.embedded.json";

    private readonly Dictionary<string, KeyType> _types;
    private readonly Dictionary<string, string> _byEnvName;

    private KeyCatalog(Dictionary<string, KeyType> types)
    {
        _types = types;
        _byEnvName = new Dictionary<string, string>(StringComparer.Ordinal);
        // Sorted, so when two paths spell the same variable name the choice is stable.
        foreach (var path in types.Keys.Order(StringComparer.Ordinal))
            _byEnvName.TryAdd(EnvKey(path), path);
    }

    public static KeyCatalog Instance { get; } = Load();

    public int Count => _types.Count;

    public IEnumerable<string> Paths => _types.Keys;

    /// <summary>The type of a key given as a template path (array indices written <c>#</c>), or null if unknown.</summary>
    public KeyType? TypeOf(string template) => _types.TryGetValue(template, out var t) ? t : null;

    /// <summary>
    /// The template path an environment variable name stands for (<c>SERVE_PUBLIC_PORT</c> →
    /// <c>serve.public.port</c>, <c>IDENTITY_SCHEMAS_0_URL</c> → <c>identity.schemas.#.url</c>), or null.
    /// Names are compared with every underscore and dot treated alike, which is how segment names that
    /// contain underscores themselves (<c>ui_url</c>) are told apart from separators.
    /// </summary>
    public string? TemplateForEnv(string name)
    {
        var parts = name.ToLowerInvariant().Split('_');
        var withIndices = string.Join('_', parts.Select(p => p.Length > 0 && p.All(char.IsAsciiDigit) ? "#" : p));
        if (_byEnvName.TryGetValue(withIndices, out var template)) return template;
        return _byEnvName.TryGetValue(string.Join('_', parts), out template) ? template : null;
    }

    private static string EnvKey(string template) => template.Replace('.', '_');

    private static KeyCatalog Load()
    {
        var assembly = typeof(KeyCatalog).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        var raw = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
                  ?? throw new InvalidOperationException("config key catalog is empty");
        var types = raw.ToDictionary(kv => kv.Key, kv => KeyType.Parse(kv.Value), StringComparer.Ordinal);
        foreach (var (path, type) in SupportedKeys.Extensions) types[path] = KeyType.Parse(type);
        return new KeyCatalog(types);
    }
}

/// <summary>The JSON types a key accepts (<c>string</c>, <c>integer|string</c>, ...); <c>object*</c> accepts unlisted keys.</summary>
internal sealed record KeyType(IReadOnlySet<string> Kinds, bool Open)
{
    public static KeyType Parse(string text)
    {
        var open = text.EndsWith('*');
        var kinds = (open ? text[..^1] : text).Split('|', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new KeyType(kinds, open || kinds.Contains("any"));
    }

    public bool Any => Kinds.Contains("any");

    public bool Is(string kind) => Kinds.Contains(kind);

    /// <summary>True when <paramref name="node"/> has one of the accepted JSON types.</summary>
    public bool Accepts(JsonNode node)
    {
        var kind = KindOf(node); // whole numbers (4433, 4433.0) are "integer", which a "number" key accepts too
        return Any || Kinds.Contains(kind) || (kind == "integer" && Kinds.Contains("number"));
    }

    public string Describe() => string.Join(" or ", Kinds.Order(StringComparer.Ordinal).Select(k => k switch
    {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean (true or false)",
        "array" => "a list",
        "object" => "a mapping of keys",
        _ => k,
    }));

    public static string KindOf(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "string",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => IsWhole(v) ? "integer" : "number",
        _ => "null",
    };

    private static bool IsWhole(JsonNode node) =>
        node is JsonValue v && (v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _) ||
                                (v.TryGetValue<double>(out var d) && Math.Abs(d % 1) == 0 && Math.Abs(d) < 9e15));
}
