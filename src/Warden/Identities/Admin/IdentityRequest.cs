using System.Text.Json.Nodes;
using Warden.Http;

namespace Warden.Identities.Admin;

/// <summary>
/// Reads the admin API's identity bodies (createIdentityBody, updateIdentityBody, a patched identity
/// document) into an <see cref="Identity"/>. Every wrong type is a 400 naming the field; unknown fields
/// are ignored, as Kratos does.
/// </summary>
internal static class IdentityRequest
{
    /// <summary>Credential types the admin API can import; the rest are refused rather than silently dropped.</summary>
    private static readonly string[] Importable = ["password", "oidc", "saml"];

    public static Identity ReadCreate(JsonObject body)
    {
        var i = new Identity
        {
            SchemaId = String(body, "schema_id") ?? "",
            Traits = Traits(body),
            State = String(body, "state") is { Length: > 0 } s ? s : "active",
            MetadataPublic = Metadata(body, "metadata_public"),
            MetadataAdmin = Metadata(body, "metadata_admin"),
            ExternalId = NullIfEmpty(String(body, "external_id")),
            OrganizationId = Uuid(body, "organization_id"),
            Credentials = Credentials(body["credentials"], null),
            VerifiableAddresses = ImportedAddresses(body["verifiable_addresses"]),
        };
        return i;
    }

    /// <summary>PUT semantics: everything but credentials is replaced; credentials given are merged in by type.</summary>
    public static Identity ReadUpdate(JsonObject body, Identity stored)
    {
        var i = new Identity
        {
            Id = stored.Id,
            // Kratos compat: an empty schema_id keeps the current schema.
            SchemaId = String(body, "schema_id") is { Length: > 0 } sid ? sid : stored.SchemaId,
            Traits = Traits(body),
            State = String(body, "state") is { Length: > 0 } s ? s : stored.State,
            MetadataPublic = Metadata(body, "metadata_public"),
            MetadataAdmin = Metadata(body, "metadata_admin"),
            ExternalId = NullIfEmpty(String(body, "external_id")),
            OrganizationId = body.ContainsKey("organization_id") ? Uuid(body, "organization_id") : stored.OrganizationId,
            Credentials = Credentials(body["credentials"], stored),
            VerifiableAddresses = stored.VerifiableAddresses,
        };
        return i;
    }

    /// <summary>
    /// The import part of <c>credentials</c>: password (plaintext, hash or migration hook) and oidc/saml
    /// provider links. On update, new provider links are added to the stored ones (Kratos compat: existing
    /// social sign-in links are never dropped by an update).
    /// </summary>
    public static Dictionary<string, Credential> Credentials(JsonNode? node, Identity? stored)
    {
        var result = new Dictionary<string, Credential>(StringComparer.Ordinal);
        if (node is null) return result;
        if (node is not JsonObject creds) throw Bad("credentials must be an object.");
        foreach (var (type, value) in creds)
        {
            if (value is null) continue;
            if (!Importable.Contains(type)) throw Bad($"Importing credentials of type \"{type}\" is not supported.");
            if (value is not JsonObject wrapper) throw Bad($"credentials.{type} must be an object.");
            var config = wrapper["config"] as JsonObject
                ?? (wrapper["config"] is null ? new JsonObject() : throw Bad($"credentials.{type}.config must be an object."));
            result[type] = type == "password" ? Password(config) : Providers(type, config, stored);
        }
        return result;
    }

    private static Credential Password(JsonObject config)
    {
        var c = new JsonObject();
        if (config["password"] is { } p)
        {
            if (p is not JsonValue pv || !pv.TryGetValue<string>(out var plain)) throw Bad("credentials.password.config.password must be a string.");
            if (plain.Length > 0) c["password"] = plain;
        }
        if (!c.ContainsKey("password") && config["hashed_password"] is { } h)
        {
            if (h is not JsonValue hv || !hv.TryGetValue<string>(out var hash)) throw Bad("credentials.password.config.hashed_password must be a string.");
            if (hash.Length > 0) c["hashed_password"] = hash;
        }
        if (!c.ContainsKey("password") && !c.ContainsKey("hashed_password") && config["use_password_migration_hook"] is { } m)
        {
            if (m is not JsonValue mv || !mv.TryGetValue<bool>(out var hook)) throw Bad("credentials.password.config.use_password_migration_hook must be a boolean.");
            if (hook) c["use_password_migration_hook"] = true;
        }
        return new Credential { Type = "password", Config = c };
    }

    private static Credential Providers(string type, JsonObject config, Identity? stored)
    {
        var list = new List<JsonObject>();
        if (stored?.Credentials.GetValueOrDefault(type)?.Config["providers"] is JsonArray old)
            list.AddRange(old.OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()));
        var given = config["providers"] ?? new JsonArray();
        if (given is not JsonArray arr) throw Bad($"credentials.{type}.config.providers must be an array.");
        foreach (var item in arr)
        {
            if (item is not JsonObject p) throw Bad($"credentials.{type}.config.providers[] must be objects.");
            var provider = String(p, "provider");
            var subject = String(p, "subject");
            if (string.IsNullOrEmpty(provider) || string.IsNullOrEmpty(subject))
                throw Bad($"credentials.{type}.config.providers[] need a provider and a subject.");
            var entry = new JsonObject
            {
                ["subject"] = subject,
                ["provider"] = provider,
                ["initial_id_token"] = "",
                ["initial_access_token"] = "",
                ["initial_refresh_token"] = "",
            };
            if (Uuid(p, "organization") is { } org) entry["organization"] = org.ToString();
            if (p["use_auto_link"] is JsonValue al && al.TryGetValue<bool>(out var autoLink) && autoLink) entry["use_auto_link"] = true;
            list.RemoveAll(o => o["provider"]?.ToString() == provider && o["subject"]?.ToString() == subject);
            list.Add(entry);
        }
        return new Credential { Type = type, Config = new JsonObject { ["providers"] = new JsonArray(list.Select(o => (JsonNode)o).ToArray()) } };
    }

    /// <summary>Imported verification state; it only counts for addresses the schema derives (matched by value).</summary>
    public static List<VerifiableAddress> ImportedAddresses(JsonNode? node)
    {
        var list = new List<VerifiableAddress>();
        if (node is null) return list;
        if (node is not JsonArray arr) throw Bad("verifiable_addresses must be an array.");
        foreach (var item in arr)
        {
            if (item is not JsonObject o) throw Bad("verifiable_addresses[] must be objects.");
            var status = String(o, "status");
            if (status is { Length: > 0 } && status is not ("pending" or "sent" or "completed"))
                throw Bad("verifiable_addresses[].status must be pending, sent or completed.");
            list.Add(new VerifiableAddress
            {
                Value = String(o, "value") ?? "",
                Via = String(o, "via") is { Length: > 0 } via ? via : "email",
                Verified = o["verified"] is JsonValue v ? (v.TryGetValue<bool>(out var b) ? b : throw Bad("verifiable_addresses[].verified must be a boolean.")) : false,
                VerifiedAt = Time(o, "verified_at"),
                Status = status ?? "",
            });
        }
        return list;
    }

    public static string? String(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw Bad($"{key} must be a string."),
    };

    private static JsonNode Traits(JsonObject body) => body["traits"] switch
    {
        null => new JsonObject(),
        JsonObject t => t.DeepClone(),
        _ => throw Bad("traits must be an object."),
    };

    // Kratos compat: metadata may be any JSON value; JSON null and absence both store nothing.
    private static JsonNode? Metadata(JsonObject body, string key) => body[key]?.DeepClone();

    public static Guid? Uuid(JsonObject o, string key)
    {
        var s = String(o, key);
        if (string.IsNullOrEmpty(s)) return null;
        return Guid.TryParse(s, out var g) ? g : throw Bad($"{key} must be a UUID.");
    }

    private static DateTime? Time(JsonObject o, string key)
    {
        var s = String(o, key);
        if (string.IsNullOrEmpty(s)) return null;
        return DateTime.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t : throw Bad($"{key} must be an RFC 3339 timestamp.");
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    public static ApiException Bad(string reason) => ApiException.BadRequest(reason);
}
