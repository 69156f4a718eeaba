using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Warden.Config;

/// <summary>
/// Turns the first YAML document of a config file into a JSON tree: <see cref="PlainYaml"/> when the file keeps to
/// the plain subset nearly every config is written in, else straight from YamlDotNet's parser events.
/// The representation model of YamlDotNet is not used because real Kratos configs rely on things it
/// rejects or ignores: a mapping key repeated in one file (the repeated sections are merged, later values
/// winning) and merge keys (<c>&lt;&lt;: *defaults</c>).
/// </summary>
internal static class YamlReader
{
    private const int MaxDepth = 64;
    private const string MergeKey = "<<";

    public static JsonNode? Read(string text, string source) =>
        PlainYaml.TryRead(text, out var plain) ? plain : ReadWithYamlDotNet(text, source);

    /// <summary>The whole of YAML, for configs outside <see cref="PlainYaml"/>'s subset (and for tests comparing both).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // so YamlDotNet is loaded only when a config needs it
    internal static JsonNode? ReadWithYamlDotNet(string text, string source)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            return ReadNode(parser, new Dictionary<string, JsonNode?>(StringComparer.Ordinal), 0, source);
        }
        catch (YamlException e)
        {
            throw new ConfigException(ConfigProblem.FileKey,
                $"{source} is not valid YAML or JSON (line {e.Start.Line}, column {e.Start.Column}): {Short(e.Message)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some truncated input (an unclosed [ or { at the end).
            throw new ConfigException(ConfigProblem.FileKey, $"{source} is not valid YAML or JSON (it ends inside an unclosed [ or {{)");
        }
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors, int depth, string source)
    {
        if (depth > MaxDepth) throw new ConfigException(ConfigProblem.FileKey, $"{source} nests deeper than {MaxDepth} levels");
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                throw new ConfigException(ConfigProblem.FileKey, $"{source} refers to an unknown anchor '*{alias.Value.Value}' (line {alias.Start.Line})");
            return target?.DeepClone();
        }
        if (parser.TryConsume<Scalar>(out var scalar))
            return Remember(anchors, scalar.Anchor, ConvertScalar(scalar));
        if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _)) array.Add(ReadNode(parser, anchors, depth + 1, source));
            return Remember(anchors, seqStart.Anchor, array);
        }
        var mapStart = parser.Consume<MappingStart>();
        var obj = new JsonObject();
        var merged = new List<JsonObject>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out var keyEvent))
                throw new ConfigException(ConfigProblem.FileKey, $"{source} uses a complex mapping key (line {parser.Current?.Start.Line}); keys must be plain names");
            var value = ReadNode(parser, anchors, depth + 1, source);
            if (keyEvent.Value == MergeKey && keyEvent.Style == ScalarStyle.Plain)
            {
                CollectMerge(value, merged, source, keyEvent.Start.Line);
                continue;
            }
            // Kratos compat: a key repeated in one mapping (e.g. two `methods:` blocks under `selfservice`)
            // must not fail the load; both sections count, the later one winning key by key.
            if (value is JsonObject later && obj[keyEvent.Value] is JsonObject earlier) ConfigLoader.Merge(earlier, later);
            else obj[keyEvent.Value] = value;
        }
        // Keys written in the mapping itself take precedence over merged-in ones; earlier merges win over later.
        foreach (var mergedMap in merged)
            foreach (var (key, value) in mergedMap)
                if (!obj.ContainsKey(key)) obj[key] = value?.DeepClone();
        return Remember(anchors, mapStart.Anchor, obj);
    }

    private static void CollectMerge(JsonNode? value, List<JsonObject> merged, string source, long line)
    {
        switch (value)
        {
            case JsonObject one:
                merged.Add(one);
                break;
            case JsonArray many when many.All(m => m is JsonObject):
                merged.AddRange(many.Cast<JsonObject>());
                break;
            default:
                throw new ConfigException(ConfigProblem.FileKey, $"{source}: a merge key (<<) needs a mapping or a list of mappings (line {line})");
        }
    }

    private static JsonNode? Remember(Dictionary<string, JsonNode?> anchors, AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty) anchors[anchor.Value] = node?.DeepClone();
        return node;
    }

    /// <summary>Plain scalars follow the YAML 1.2 core schema; quoted ones and <c>!!str</c> stay strings.</summary>
    private static JsonNode? ConvertScalar(Scalar scalar)
    {
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" or "!!str") return JsonValue.Create(scalar.Value);
        if (scalar.Style != ScalarStyle.Plain && tag.Length == 0) return JsonValue.Create(scalar.Value);
        return ConfigLoader.ParseScalar(scalar.Value);
    }

    private static string Short(string message)
    {
        // YamlDotNet prefixes positions we already report; keep only its explanation.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return i >= 0 ? message[(i + 3)..] : message;
    }
}
