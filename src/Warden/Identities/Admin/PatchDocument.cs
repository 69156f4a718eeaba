using System.Text.Json.Nodes;
using Warden.Http;

namespace Warden.Identities.Admin;

/// <summary>
/// What patchIdentity's JSON Patch operates on: the admin JSON of the identity, plus a write-only
/// <c>credentials.password.config</c> through which a password (plaintext or hash) can be set. Stored
/// credential configs are never put into the document, so a patch cannot read a hash back.
/// </summary>
internal static class PatchDocument
{
    private static readonly HashSet<string> WritableRoots = new(StringComparer.Ordinal)
    {
        "schema_id", "state", "traits", "metadata_public", "metadata_admin", "external_id", "organization_id", "verifiable_addresses",
    };

    public static JsonObject From(Identity stored, IdentityJson json)
    {
        var doc = json.ToJson(stored, admin: true, includeCredentials: false);
        // Present even when empty/unset so that "replace" and "/verifiable_addresses/-" work as clients expect.
        doc["external_id"] ??= null;
        doc["verifiable_addresses"] ??= new JsonArray();
        doc["recovery_addresses"] ??= new JsonArray();
        doc["credentials"] = new JsonObject { ["password"] = new JsonObject { ["config"] = new JsonObject() } };
        return doc;
    }

    /// <summary>
    /// Kratos compat: id, timestamps, schema_url, recovery addresses (derived) and stored credentials are
    /// read-only; a password may be set through <c>/credentials/password/config/…</c>.
    /// </summary>
    public static bool IsWritable(string path)
    {
        var tokens = JsonPatch.Tokens(path);
        if (tokens.Count == 0) return false;
        if (WritableRoots.Contains(tokens[0])) return true;
        return tokens.Count >= 3 && tokens[0] == "credentials" && tokens[1] == "password" && tokens[2] == "config";
    }

    public static Identity Read(JsonObject doc, Identity stored)
    {
        var i = new Identity
        {
            Id = stored.Id,
            SchemaId = IdentityRequest.String(doc, "schema_id") is { Length: > 0 } s ? s : stored.SchemaId,
            Traits = doc["traits"] switch
            {
                JsonObject t => t.DeepClone(),
                _ => throw ApiException.BadRequest("The patched traits must be an object."),
            },
            State = IdentityRequest.String(doc, "state") ?? "",
            MetadataPublic = doc["metadata_public"]?.DeepClone(),
            MetadataAdmin = doc["metadata_admin"]?.DeepClone(),
            ExternalId = IdentityRequest.String(doc, "external_id") is { Length: > 0 } e ? e : null,
            OrganizationId = IdentityRequest.Uuid(doc, "organization_id"),
            VerifiableAddresses = IdentityRequest.ImportedAddresses(doc["verifiable_addresses"]),
        };
        if (doc["credentials"]?["password"]?["config"] is JsonObject config && config.Count > 0)
            i.Credentials = IdentityRequest.Credentials(new JsonObject { ["password"] = new JsonObject { ["config"] = config.DeepClone() } }, stored);
        return i;
    }
}
