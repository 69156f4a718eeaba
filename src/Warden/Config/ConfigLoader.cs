using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Warden.Config;

/// <summary>
/// Reads kratos.yml (YAML or JSON) into a JSON tree and applies environment overrides.
/// </summary>
public static class ConfigLoader
{
    public static WardenConfig Load(IReadOnlyList<string> paths, IDictionary<string, string?> environment, bool dev)
    {
        var root = new JsonObject();
        foreach (var path in paths) Merge(root, ReadFile(path));
        EnvironmentOverrides.Apply(root, environment);
        return new WardenConfig(root, dev, paths.Count == 0 ? null : Path.GetFullPath(paths[^1]));
    }

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
        if (!File.Exists(path)) throw new ConfigException("(file)", $"config file '{path}' does not exist");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>YAML is a superset of JSON, so one parser serves both formats.</summary>
    public static JsonObject Parse(string text, string source = "(inline)")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigException("(file)", $"{source} is not valid YAML or JSON (line {e.Start.Line}, column {e.Start.Column})");
        }
        if (stream.Documents.Count == 0) return new JsonObject();
        return Convert(stream.Documents[0].RootNode) as JsonObject
               ?? throw new ConfigException("(file)", $"{source} must contain a mapping at the top level");
    }

    internal static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ConvertMap(map),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static JsonObject ConvertMap(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
            obj[((YamlScalarNode)key).Value ?? ""] = Convert(value);
        return obj;
    }

    /// <summary>YAML 1.2 core schema for plain scalars; quoted scalars always stay strings.</summary>
    internal static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain) return JsonValue.Create(text);
        return ParseScalar(text);
    }

    internal static JsonNode? ParseScalar(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.') &&
            double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
