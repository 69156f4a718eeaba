using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.Schemas;

namespace Warden.Identities;

/// <summary>
/// Turns what the schema extension says (identifiers per credential type, verifiable and recovery
/// addresses) into the identity's credentials and address lists, keeping ids, timestamps and verification
/// state of whatever is unchanged. Pure: no I/O, so it is easy to test on its own.
/// </summary>
internal static class IdentityDerivation
{
    /// <summary>Credential types whose identifiers come from linked providers (<c>provider:subject</c>), not from traits.</summary>
    public static readonly IReadOnlySet<string> ProviderTypes = new HashSet<string>(StringComparer.Ordinal) { "oidc", "saml" };

    private static readonly HashSet<string> SchemaIdentified = new(StringComparer.Ordinal) { "password", "code", "webauthn" };
    private static readonly HashSet<string> AutoCreated = new(StringComparer.Ordinal) { "password", "code" };

    /// <summary>Current config versions per type (Kratos' numbering, which clients see as <c>version</c>).</summary>
    public static int VersionOf(string type) => type is "password" or "code" or "webauthn" or "passkey" ? 1 : 0;

    /// <param name="target">the identity being written; its credentials are the caller's desired configs.</param>
    /// <param name="stored">the identity as stored (with credentials), or null on create.</param>
    public static void Apply(Identity target, SchemaExtraction ex, Identity? stored, DateTime now)
    {
        DeriveCredentials(target, ex, stored, now);
        DeriveVerifiable(target, ex, stored, now);
        DeriveRecovery(target, ex, stored, now);
    }

    private static void DeriveCredentials(Identity target, SchemaExtraction ex, Identity? stored, DateTime now)
    {
        var result = new Dictionary<string, Credential>(StringComparer.Ordinal);
        // Stored credentials survive unless the caller replaced them; the caller's configs win.
        if (stored is not null)
            foreach (var (type, c) in stored.Credentials) result[type] = Copy(c);
        foreach (var (type, c) in target.Credentials)
        {
            if (result.TryGetValue(type, out var existing))
            {
                if (!JsonNode.DeepEquals(existing.Config, c.Config)) existing.UpdatedAt = now;
                existing.Config = (JsonObject)c.Config.DeepClone();
                if (c.Identifiers.Count > 0) existing.Identifiers = [.. c.Identifiers];
            }
            else
            {
                result[type] = new Credential
                {
                    Id = stored is null ? c.Id : Guid.Empty, Type = type, Config = (JsonObject)c.Config.DeepClone(),
                    Identifiers = [.. c.Identifiers], Version = c.Version > 0 ? c.Version : VersionOf(type), CreatedAt = now, UpdatedAt = now,
                };
            }
        }
        foreach (var (type, identifiers) in ex.Identifiers)
        {
            // totp account names and passkey display names are labels, not sign-in identifiers.
            if (!SchemaIdentified.Contains(type)) continue;
            if (!result.TryGetValue(type, out var cred))
            {
                // Kratos compat: password and code credentials exist as soon as the schema names an identifier
                // (an empty password config means "no password yet" but still reserves the identifier). Other
                // types are only created by their own flows: an empty webauthn credential must not look enrolled.
                if (identifiers.Count == 0 || !AutoCreated.Contains(type)) continue;
                result[type] = cred = new Credential { Type = type, Config = new JsonObject(), Version = VersionOf(type), CreatedAt = now, UpdatedAt = now };
            }
            var next = identifiers.Distinct(StringComparer.Ordinal).ToList();
            if (!cred.Identifiers.SequenceEqual(next)) cred.UpdatedAt = now;
            cred.Identifiers = next;
            if (type == "code") cred.Config = CodeConfig(next, ex);
        }
        // A schema change can take identifiers away from a derived type: they must stop counting as taken.
        foreach (var (type, cred) in result)
            if (!ex.Identifiers.ContainsKey(type) && !ProviderTypes.Contains(type) && IsSchemaDerived(type)) cred.Identifiers = [];
        foreach (var type in ProviderTypes)
            if (result.TryGetValue(type, out var cred)) cred.Identifiers = ProviderIdentifiers(cred.Config);
        target.Credentials = result;
    }

    private static bool IsSchemaDerived(string type) => type is "password" or "code";

    private static Credential Copy(Credential c) => new()
    {
        Id = c.Id, Type = c.Type, Config = (JsonObject)c.Config.DeepClone(), Identifiers = [.. c.Identifiers], Version = c.Version,
        CreatedAt = c.CreatedAt, UpdatedAt = c.UpdatedAt,
    };

    /// <summary>Kratos compat: a code credential lists its addresses with the channel they are reached by.</summary>
    private static JsonObject CodeConfig(IReadOnlyList<string> identifiers, SchemaExtraction ex)
    {
        var addresses = new JsonArray();
        foreach (var id in identifiers)
        {
            var via = ex.VerifiableAddresses.Concat(ex.RecoveryAddresses).FirstOrDefault(a => a.Value == id)?.Via
                ?? (id.Contains('@') ? "email" : "sms");
            addresses.Add(new JsonObject { ["channel"] = via, ["address"] = id });
        }
        return new JsonObject { ["addresses"] = addresses };
    }

    /// <summary>OIDC/SAML identifiers are <c>provider:subject</c> for every linked provider.</summary>
    public static List<string> ProviderIdentifiers(JsonObject config)
    {
        var list = new List<string>();
        if (config["providers"] is not JsonArray providers) return list;
        foreach (var p in providers.OfType<JsonObject>())
        {
            var provider = p["provider"]?.GetValue<string>();
            var subject = p["subject"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(provider) && !string.IsNullOrEmpty(subject)) list.Add($"{provider}:{subject}");
        }
        return list.Distinct(StringComparer.Ordinal).ToList();
    }

    private static void DeriveVerifiable(Identity target, SchemaExtraction ex, Identity? stored, DateTime now)
    {
        var desired = target.VerifiableAddresses;
        var result = new List<VerifiableAddress>();
        foreach (var d in ex.VerifiableAddresses.DistinctBy(a => (a.Via, a.Value)))
        {
            var old = stored?.VerifiableAddresses.FirstOrDefault(a => Same(a.Via, a.Value, d));
            var wanted = desired.FirstOrDefault(a => Same(a.Via, a.Value, d));
            var a = new VerifiableAddress
            {
                Id = old?.Id ?? RowIds.New(), Via = d.Via, Value = d.Value,
                CreatedAt = old?.CreatedAt ?? now, UpdatedAt = old?.UpdatedAt ?? now,
            };
            // Verification state: what the caller asks for, else what is stored; a new address starts unverified.
            var source = wanted ?? old;
            if (source is not null)
            {
                a.Verified = source.Verified;
                a.VerifiedAt = source.Verified ? source.VerifiedAt ?? now : null;
                // A verified address has completed verification, whatever status the caller left on it.
                a.Status = source.Verified ? "completed" : source.Status is { Length: > 0 } s ? s : "pending";
            }
            else
            {
                a.Status = "pending";
            }
            if (old is not null && (old.Verified != a.Verified || old.Status != a.Status || old.VerifiedAt != a.VerifiedAt)) a.UpdatedAt = now;
            result.Add(a);
        }
        target.VerifiableAddresses = result;
    }

    private static void DeriveRecovery(Identity target, SchemaExtraction ex, Identity? stored, DateTime now)
    {
        target.RecoveryAddresses = ex.RecoveryAddresses.DistinctBy(a => (a.Via, a.Value)).Select(d =>
        {
            var old = stored?.RecoveryAddresses.FirstOrDefault(a => Same(a.Via, a.Value, d));
            return new RecoveryAddress
            {
                Id = old?.Id ?? RowIds.New(), Via = d.Via, Value = d.Value, CreatedAt = old?.CreatedAt ?? now, UpdatedAt = old?.UpdatedAt ?? now,
            };
        }).ToList();
    }

    private static bool Same(string via, string value, AddressRef d) =>
        via == d.Via && TraitNormalization.Address(via, value) == TraitNormalization.Address(d.Via, d.Value);
}
