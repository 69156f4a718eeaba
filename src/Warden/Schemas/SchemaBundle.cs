using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// Makes a schema with external http(s) <c>$ref</c>s self-contained: each referenced document is fetched
/// once and placed under <c>definitions</c> of a copy of the schema, and every reference is rewritten to
/// point there. The validator, field builder and extension reader then only ever follow local references,
/// so they stay free of I/O. The raw document (what <c>GET /schemas/{id}</c> serves) is not changed.
/// </summary>
internal static class SchemaBundle
{
    /// <summary>A schema that pulls in more documents than this is refused rather than crawled.</summary>
    public const int MaxDocuments = 16;

    private const string KeyPrefix = "warden-external-";

    /// <summary>True when every reference points into the document itself, so nothing has to be fetched.</summary>
    public static bool IsSelfContained(JsonObject raw) => SchemaRefs.All(raw).All(r => SchemaRefs.IsLocal(raw, r));

    /// <summary>
    /// The self-contained copy, or <paramref name="raw"/> itself when it has no external references.
    /// Failures (fetch, shape, dangling pointer) are <see cref="SchemaSourceException"/>s naming the reference.
    /// </summary>
    public static async Task<JsonObject> BuildAsync(JsonObject raw, string? location, Func<string, Task<JsonObject>> fetch)
    {
        if (IsSelfContained(raw)) return raw;
        var root = raw.DeepClone().AsObject();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal); // document URL → definitions key
        var fetched = new List<(string Key, JsonObject Document)>();
        var pending = new Queue<(JsonObject Document, string Url, string Key)>();

        async Task<string> Include(string reference, string? baseUrl)
        {
            var target = SchemaRefs.RemoteTarget(reference, baseUrl)
                ?? throw new SchemaSourceException($"$ref '{reference}' is not an http(s) URL");
            var documentUrl = target.GetLeftPart(UriPartial.Query);
            if (!keys.TryGetValue(documentUrl, out var key))
            {
                if (keys.Count >= MaxDocuments)
                    throw new SchemaSourceException($"the schema references more than {MaxDocuments} external documents");
                key = KeyPrefix + keys.Count;
                keys[documentUrl] = key;
                var document = await Fetch(reference, documentUrl, fetch).ConfigureAwait(false);
                fetched.Add((key, document));
                pending.Enqueue((document, documentUrl, key));
            }
            return Pointer(key, reference, target.Fragment.TrimStart('#'));
        }

        // The root's own local references stay as they are; only the external ones move.
        var rootBase = SchemaRefs.BaseOf(raw, location);
        foreach (var holder in SchemaRefs.Holders(root).ToList())
        {
            var reference = JsonKit.AsString(holder["$ref"])!;
            if (!SchemaRefs.IsLocal(raw, reference)) holder["$ref"] = await Include(reference, rootBase).ConfigureAwait(false);
        }
        // Inside a fetched document, local references are relative to that document, i.e. to its new place.
        while (pending.TryDequeue(out var item))
        {
            var baseUrl = SchemaRefs.BaseOf(item.Document, item.Url);
            foreach (var holder in SchemaRefs.Holders(item.Document).ToList())
            {
                var reference = JsonKit.AsString(holder["$ref"])!;
                holder["$ref"] = SchemaRefs.IsLocal(item.Document, reference) || IsSelf(reference, item.Url)
                    ? Pointer(item.Key, reference, reference[(reference.IndexOf('#') is var h and >= 0 ? h + 1 : reference.Length)..])
                    : await Include(reference, baseUrl).ConfigureAwait(false);
            }
        }

        if (root["definitions"] is not JsonObject definitions) root["definitions"] = definitions = new JsonObject();
        foreach (var (key, document) in fetched) definitions[key] = document;
        foreach (var reference in SchemaRefs.All(root).Distinct())
            if (SchemaRefs.Resolve(root, reference) is null)
                throw new SchemaSourceException($"an external $ref does not point at anything in the document it names ({reference})");
        return root;
    }

    private static async Task<JsonObject> Fetch(string reference, string url, Func<string, Task<JsonObject>> fetch)
    {
        JsonObject document;
        try
        {
            document = await fetch(url).ConfigureAwait(false);
        }
        catch (SchemaSourceException e)
        {
            throw new SchemaSourceException($"$ref '{reference}': {e.Message}", e.Remote);
        }
        var problems = new List<string>();
        SchemaShape.Check(document, "#", problems);
        if (problems.Count > 0)
            throw new SchemaSourceException($"$ref '{reference}' is not a valid JSON schema: {string.Join("; ", problems)}");
        return document;
    }

    private static bool IsSelf(string reference, string url)
    {
        var hash = reference.IndexOf('#');
        return string.Equals(hash < 0 ? reference : reference[..hash], url, StringComparison.Ordinal);
    }

    /// <summary>Only JSON pointer fragments can be moved; a <c>#anchor</c> in another document cannot be found again.</summary>
    private static string Pointer(string key, string reference, string fragment)
    {
        // Left escaped: SchemaRefs.Resolve unescapes each pointer token itself.
        if (fragment.Length > 0 && fragment[0] != '/')
            throw new SchemaSourceException($"$ref '{reference}' uses an anchor; only JSON pointers (#/…) are supported in external references");
        return "#/definitions/" + key + fragment;
    }
}
