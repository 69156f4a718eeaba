using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// Resolves <c>$ref</c> inside one schema document. Only references into the document itself are
/// followed (<c>#</c>, <c>#/json/pointer</c>, <c>#anchor</c>, or the document's own <c>$id</c> with a
/// fragment): validation never reaches out to the network or the file system, so a trait submission cannot
/// make the server fetch anything. External http(s) references are fetched once, on first use, and bundled
/// into a copy of the document (<see cref="SchemaBundle"/>), after which they are local too.
/// </summary>
internal static class SchemaRefs
{
    public static JsonNode? Resolve(JsonObject root, string reference)
    {
        var fragment = LocalFragment(root, reference);
        if (fragment is null) return null;
        if (fragment.Length == 0) return root;
        if (fragment[0] != '/') return FindAnchor(root, "#" + fragment);
        JsonNode? node = root;
        foreach (var raw in fragment[1..].Split('/'))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            node = node switch
            {
                JsonObject o => o.TryGetPropertyValue(token, out var next) ? next : null,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    public static bool IsLocal(JsonObject root, string reference) => LocalFragment(root, reference) is not null;

    /// <summary>
    /// The absolute http(s) URL an external reference names, resolved against <paramref name="baseUrl"/> when
    /// relative; null when it names anything else (file paths, other schemes, relative without an http base).
    /// </summary>
    public static Uri? RemoteTarget(string reference, string? baseUrl)
    {
        if (Uri.TryCreate(reference, UriKind.Absolute, out var absolute) && !reference.StartsWith('/'))
            return IsHttp(absolute) ? absolute : null;
        return baseUrl is not null && Uri.TryCreate(baseUrl, UriKind.Absolute, out var b) && IsHttp(b) &&
               Uri.TryCreate(b, reference, out var joined) && IsHttp(joined) ? joined : null;
    }

    /// <summary>The base for relative references: the document's own absolute <c>$id</c>, else where it was loaded from.</summary>
    public static string? BaseOf(JsonObject document, string? location) =>
        JsonKit.AsString(document["$id"]) is { } id && Uri.TryCreate(id, UriKind.Absolute, out var u) && IsHttp(u) ? id : location;

    private static bool IsHttp(Uri u) => u.Scheme is "http" or "https";

    /// <summary>The fragment (without '#') when the reference points into this document, else null.</summary>
    private static string? LocalFragment(JsonObject root, string reference)
    {
        var hash = reference.IndexOf('#');
        var target = hash < 0 ? reference : reference[..hash];
        var fragment = hash < 0 ? "" : reference[(hash + 1)..];
        if (target.Length == 0) return fragment;
        var ownId = JsonKit.AsString(root["$id"]);
        if (ownId is not null && string.Equals(ownId.TrimEnd('#'), target, StringComparison.Ordinal)) return fragment;
        return null;
    }

    private static JsonNode? FindAnchor(JsonNode? node, string anchor)
    {
        switch (node)
        {
            case JsonObject o:
                if (JsonKit.AsString(o["$id"]) == anchor) return o;
                foreach (var (_, child) in o)
                    if (FindAnchor(child, anchor) is { } hit) return hit;
                return null;
            case JsonArray a:
                foreach (var child in a)
                    if (FindAnchor(child, anchor) is { } hit) return hit;
                return null;
            default:
                return null;
        }
    }

    /// <summary>Every <c>$ref</c> string in the document, for the load-time check.</summary>
    public static IEnumerable<string> All(JsonNode? node) => Holders(node).Select(o => JsonKit.AsString(o["$ref"])!);

    /// <summary>Every object that is a subschema with a string <c>$ref</c> (data such as enum values is skipped).</summary>
    public static IEnumerable<JsonObject> Holders(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (JsonKit.AsString(o["$ref"]) is not null) yield return o;
                foreach (var (key, child) in o)
                {
                    // Kratos extension values and enum/const literals are data, not subschemas.
                    if (key is "enum" or "const" or "default" or "examples" or "ory.sh/kratos") continue;
                    // Under these keys the names are property names (a trait may be called "default"): every value is a schema.
                    var values = key is "properties" or "patternProperties" or "definitions" or "dependencies" && child is JsonObject map
                        ? map.Select(p => p.Value)
                        : [child];
                    foreach (var value in values)
                        foreach (var inner in Holders(value)) yield return inner;
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                    foreach (var inner in Holders(child)) yield return inner;
                break;
        }
    }
}
