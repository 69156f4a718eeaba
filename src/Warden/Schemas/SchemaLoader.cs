using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Config;

namespace Warden.Schemas;

/// <summary>
/// Reads <c>identity.schemas</c> and <c>identity.default_schema_id</c>, loads and checks every schema, and
/// stops startup with a <see cref="ConfigException"/> naming the exact key when something is wrong.
/// </summary>
internal static class SchemaLoader
{
    public static IdentitySchemas Load(WardenConfig config, HttpMessageHandler? handler)
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

        using var http = SchemaHttp.Create(handler, config.Bool("clients.http.disallow_private_ip_ranges"));
        var schemas = new List<IdentitySchema>();
        for (var i = 0; i < list.Count; i++)
        {
            var key = $"identity.schemas[{i}]";
            if (list[i] is not JsonObject entry) throw new ConfigException(key, "must be an object with 'id' and 'url'");
            if (JsonKit.AsString(entry["id"]) is not { Length: > 0 } id) throw new ConfigException(key + ".id", "must be a non-empty string");
            if (JsonKit.AsString(entry["url"]) is not { Length: > 0 } url) throw new ConfigException(key + ".url", "must be a non-empty string");
            if (schemas.Any(s => s.Id == id)) throw new ConfigException(key + ".id", $"the id '{id}' is used by an earlier schema");
            JsonObject document;
            try
            {
                document = SchemaSource.Fetch(url, config, http);
            }
            catch (SchemaSourceException e)
            {
                throw new ConfigException(key + ".url", e.Message);
            }
            var problems = SchemaMetaCheck.Check(document);
            if (problems.Count > 0)
                throw new ConfigException(key + ".url", "not a valid identity schema: " + string.Join("; ", problems));
            schemas.Add(new IdentitySchema { Id = id, Document = document });
        }
        if (schemas.All(s => s.Id != defaultId))
            throw new ConfigException("identity.default_schema_id", $"'{defaultId}' is not the id of any entry in identity.schemas");
        return new IdentitySchemas(schemas, defaultId);
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
