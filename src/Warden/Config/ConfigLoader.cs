using System.Globalization;
using System.Text.Json.Nodes;

namespace Warden.Config;

/// <summary>
/// Reads kratos.yml files (YAML or JSON) into one JSON tree, applies environment overrides and validates
/// the result. Later files win over earlier ones, the environment wins over files.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads, merges and validates; throws <see cref="ConfigException"/> naming every bad key.</summary>
    public static WardenConfig Load(IReadOnlyList<string> paths, IDictionary<string, string?> environment, bool dev)
    {
        var config = LoadUnvalidated(paths, environment, dev);
        ConfigValidator.Validate(config);
        return config;
    }

    /// <summary>Loads and merges without validating (for tools that only want to look at the tree).</summary>
    public static WardenConfig LoadUnvalidated(IReadOnlyList<string> paths, IDictionary<string, string?> environment, bool dev)
    {
        var root = new JsonObject();
        foreach (var path in paths) Merge(root, ReadFile(path));
        // With no config file at all, Warden is a working sign-up/sign-in site out of the box: registering
        // signs the user in. With a kratos.yml, only what it says applies, exactly as in Kratos.
        if (paths.Count == 0) Merge(root, FirstRunDefaults());
        EnvironmentOverrides.Apply(root, environment);
        // Kratos compat: `dev: true` in the file (or DEV=true) means the same as the --dev flag.
        var devFromTree = root["dev"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        return new WardenConfig(root, dev || devFromTree, paths.Count == 0 ? null : Path.GetFullPath(paths[^1]));
    }

    internal static JsonObject FirstRunDefaults() => new()
    {
        ["selfservice"] = new JsonObject
        {
            ["flows"] = new JsonObject
            {
                ["registration"] = new JsonObject
                {
                    ["after"] = new JsonObject
                    {
                        ["password"] = new JsonObject { ["hooks"] = new JsonArray(new JsonObject { ["hook"] = "session" }) },
                    },
                },
            },
        },
    };

    /// <summary>Later files win key by key; arrays are replaced, not concatenated.</summary>
    public static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            if (value is JsonObject src && target[key] is JsonObject dst) Merge(dst, src);
            else target[key] = value?.DeepClone();
        }
    }

    public static JsonObject ReadFile(string path)
    {
        if (Directory.Exists(path)) throw new ConfigException(ConfigProblem.FileKey, $"config file '{path}' is a directory");
        if (!File.Exists(path)) throw new ConfigException(ConfigProblem.FileKey, $"config file '{path}' does not exist");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(ConfigProblem.FileKey, $"config file '{path}' cannot be read: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>YAML is a superset of JSON, so one parser serves both formats.</summary>
    public static JsonObject Parse(string text, string source = "(inline)") =>
        YamlReader.Read(text, source) switch
        {
            null => new JsonObject(),
            JsonObject obj => obj,
            _ => throw new ConfigException(ConfigProblem.FileKey, $"{source} must contain a mapping of keys at the top level"),
        };

    /// <summary>A YAML plain scalar: null, booleans, integers (decimal, 0x, 0o), floats, else the text itself.</summary>
    internal static JsonNode? ParseScalar(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (text.StartsWith("0x", StringComparison.Ordinal) &&
            long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            return JsonValue.Create(hex);
        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7'))
            return JsonValue.Create(System.Convert.ToInt64(text[2..], 8));
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.') &&
            text.Any(char.IsAsciiDigit) &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
