using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Schemas;

namespace Warden.Identities;

/// <summary>
/// The Kratos wire shape of an identity. Key order follows Kratos (clients and snapshot tests compare it).
/// Public renderings (sessions, flows) never include credentials or <c>metadata_admin</c>.
/// </summary>
public sealed class IdentityJson(IdentitySchemas schemas, BaseUrls urls)
{
    /// <param name="includeCredentials">
    /// admin only: the credentials map (type, identifiers, version, timestamps). Credential configs (password
    /// hashes, OIDC tokens) are left out; use the overload with <c>declassify</c> to show them for chosen types.
    /// </param>
    /// <param name="admin">admin rendering: includes <c>metadata_admin</c>.</param>
    public JsonObject ToJson(Identity identity, bool admin = false, bool includeCredentials = false) =>
        ToJson(identity, admin, includeCredentials, null);

    /// <param name="declassify">credential types whose <c>config</c> is shown (<c>include_credential</c>); admin only.</param>
    public JsonObject ToJson(Identity identity, bool admin, bool includeCredentials, IReadOnlyCollection<string>? declassify)
    {
        var o = new JsonObject { ["id"] = identity.Id.ToString() };
        if (admin && includeCredentials && identity.Credentials.Count > 0)
        {
            var creds = new JsonObject();
            foreach (var (type, c) in identity.Credentials.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                creds[type] = Credential(c, declassify?.Contains(type) == true);
            o["credentials"] = creds;
        }
        o["schema_id"] = identity.SchemaId;
        o["schema_url"] = SchemaUrl(identity.SchemaId);
        o["state"] = identity.State;
        if (identity.StateChangedAt is { } sc) o["state_changed_at"] = Time(sc);
        o["traits"] = identity.Traits?.DeepClone() ?? new JsonObject();
        // Kratos compat: both address lists are omitted when empty.
        if (identity.VerifiableAddresses.Count > 0)
            o["verifiable_addresses"] = new JsonArray(identity.VerifiableAddresses.Select(a => (JsonNode)Address(a)).ToArray());
        if (identity.RecoveryAddresses.Count > 0)
            o["recovery_addresses"] = new JsonArray(identity.RecoveryAddresses.Select(a => (JsonNode)Address(a)).ToArray());
        o["metadata_public"] = identity.MetadataPublic?.DeepClone();
        if (admin) o["metadata_admin"] = identity.MetadataAdmin?.DeepClone();
        o["created_at"] = Time(identity.CreatedAt);
        o["updated_at"] = Time(identity.UpdatedAt);
        // Kratos compat: organization_id is always present (null without one); external_id only when set.
        o["organization_id"] = identity.OrganizationId?.ToString();
        if (identity.ExternalId is { Length: > 0 } ext) o["external_id"] = ext;
        return o;
    }

    public static JsonObject Credential(Credential c, bool withConfig)
    {
        var o = new JsonObject
        {
            ["type"] = c.Type,
            ["identifiers"] = new JsonArray(c.Identifiers.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
        };
        if (withConfig) o["config"] = c.Config.DeepClone();
        o["version"] = c.Version;
        o["created_at"] = Time(c.CreatedAt);
        o["updated_at"] = Time(c.UpdatedAt);
        return o;
    }

    public static JsonObject Address(VerifiableAddress a)
    {
        var o = new JsonObject
        {
            ["id"] = a.Id.ToString(),
            ["value"] = a.Value,
            ["verified"] = a.Verified,
            ["via"] = a.Via,
            ["status"] = a.Status,
        };
        if (a.VerifiedAt is { } at) o["verified_at"] = Time(at);
        o["created_at"] = Time(a.CreatedAt);
        o["updated_at"] = Time(a.UpdatedAt);
        return o;
    }

    public static JsonObject Address(RecoveryAddress a) => new()
    {
        ["id"] = a.Id.ToString(),
        ["value"] = a.Value,
        ["via"] = a.Via,
        ["created_at"] = Time(a.CreatedAt),
        ["updated_at"] = Time(a.UpdatedAt),
    };

    /// <summary>The schema's public URL; computed directly when the schema is no longer configured.</summary>
    public string SchemaUrl(string schemaId) =>
        schemas.Find(schemaId)?.Url(urls) ?? urls.PublicUrl("schemas/" + Base64Url(schemaId));

    private static string Base64Url(string s) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>RFC 3339 in UTC with trailing zeros trimmed, like Go's RFC3339Nano.</summary>
    public static string Time(DateTime t) =>
        DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
