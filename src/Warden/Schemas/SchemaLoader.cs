using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Config;

namespace Warden.Schemas;

/// <summary>
/// Reads <c>identity.schemas</c> and <c>identity.default_schema_id</c>, loads and checks every schema, and
/// stops startup with a <see cref="ConfigException"/> naming the exact key when the configuration is wrong.
/// Remote outages do not stop startup (see <see cref="SchemaDocument"/>).
/// </summary>
internal static class SchemaLoader
{
    /// <param name="clock">For tests that move time across the retry interval; the system clock otherwise.</param>
    /// <param name="handler">An <c>HttpMessageHandler</c> for tests (see <see cref="SchemaHttpSource"/>).</param>
    public static IdentitySchemas Load(WardenConfig config, TimeProvider? clock = null, object? handler = null)
    {
        var defaultId = config.String("identity.default_schema_id") is { Length: > 0 } d ? d : DefaultSchema.Id;
        var node = Entries(config.Node("identity.schemas"));
        if (node is null)
        {
            if (defaultId != DefaultSchema.Id)
                throw new ConfigException("identity.default_schema_id", $"'{defaultId}' is not defined: identity.schemas is not set, so only the built-in schema 'default' exists");
            return IdentitySchemas.BuiltIn();
        }
        if (node is not JsonArray list || list.Count == 0)
            throw new ConfigException("identity.schemas", "must be a non-empty list of {id, url} entries");

        // Kept for the process lifetime: unavailable schemas and external refs are fetched on use.
        var fetcher = SchemaFetcher.Create(config, handler);
        if (clock is not null) fetcher.Clock = clock;
        var schemas = new List<IdentitySchema>();
        for (var i = 0; i < list.Count; i++)
        {
            // Dotted indexes, the way ConfigValidator names keys.
            var key = $"identity.schemas.{i}";
            if (list[i] is not JsonObject entry) throw new ConfigException(key, "must be an object with 'id' and 'url'");
            if (JsonKit.AsString(entry["id"]) is not { Length: > 0 } id) throw new ConfigException(key + ".id", "must be a non-empty string");
            if (JsonKit.AsString(entry["url"]) is not { Length: > 0 } url) throw new ConfigException(key + ".url", "must be a non-empty string");
            if (schemas.Any(s => s.Id == id)) throw new ConfigException(key + ".id", $"the id '{id}' is used by an earlier schema");
            schemas.Add(new IdentitySchema(id, Open(id, key + ".url", url.Trim(), fetcher)));
        }
        if (schemas.All(s => s.Id != defaultId))
            throw new ConfigException("identity.default_schema_id", $"'{defaultId}' is not the id of any entry in identity.schemas");
        return new IdentitySchemas(schemas, defaultId) { Fetcher = fetcher };
    }

    /// <summary>
    /// Loads one schema now. A network failure (only http(s) can have one) leaves it unavailable, to be
    /// retried on use; every other problem is a mistake in the configuration and stops startup.
    /// </summary>
    private static SchemaDocument Open(string id, string key, string url, SchemaFetcher fetcher)
    {
        try
        {
            var document = fetcher.FetchAtStartup(url);
            SchemaDocument.Check(document, url);
            return SchemaDocument.Loaded(id, key, url, document, fetcher);
        }
        catch (SchemaSourceException e) when (e.Remote)
        {
            return SchemaDocument.Unavailable(id, key, url, e.Message, fetcher);
        }
        catch (SchemaSourceException e)
        {
            throw new ConfigException(key, e.Message);
        }
    }

    /// <summary>An environment override (<c>IDENTITY_SCHEMAS</c>) arrives as a JSON string; read it as the list it encodes.</summary>
    private static JsonNode? Entries(JsonNode? node)
    {
        if (JsonKit.AsString(node) is not { } text) return node;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new ConfigException("identity.schemas", "is a string that is not a JSON list of {id, url} entries");
        }
    }
}
