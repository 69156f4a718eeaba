using System.Data.Common;
using System.Text.Json.Nodes;
using Warden.Hashing;
using Warden.Http;
using Warden.Persistence;
using Warden.Schemas;

namespace Warden.Identities;

/// <summary>
/// The one way in for creating and changing identities, used by the admin API and by self-service flows.
/// It validates traits against the schema, derives credential identifiers and addresses from the
/// <c>ory.sh/kratos</c> extension, normalises identifiers and writes everything in one transaction.
/// Slow work (password hashing) happens before the transaction opens.
/// </summary>
public sealed class IdentityService(IdentityStore store, IdentitySchemas schemas, PasswordHasher hasher)
{
    public Database Database => store.Database;

    /// <summary>
    /// Creates an identity (traits validated, identifiers/addresses derived, password credentials hashed or
    /// imported). A password credential's config may carry <c>password</c> (plaintext, hashed here) or
    /// <c>hashed_password</c> (must be a supported format; stored as is so a later login can upgrade it).
    /// <see cref="Identity.VerifiableAddresses"/> may carry imported verification state for derived addresses.
    /// Throws <see cref="TraitValidationException"/> or <see cref="DuplicateIdentifierException"/>.
    /// </summary>
    public Task<Identity> CreateAsync(Identity identity, CancellationToken ct = default) => CreateAsync(identity, null, ct);

    /// <summary>
    /// As <see cref="CreateAsync(Identity, CancellationToken)"/>; <paramref name="alongside"/> adds rows written in the
    /// same atomic write as the identity (a self-service flow marked completed), called once the identity passed
    /// its checks. Either everything is stored or nothing.
    /// </summary>
    public async Task<Identity> CreateAsync(Identity identity, Func<SqlBatch, SqlBatch>? alongside, CancellationToken ct = default)
    {
        var extraction = await CheckAsync(identity, ct);
        await HashPlaintextAsync(identity, ct);
        CheckImportedHashes(identity, stored: null);
        var now = Now();
        if (identity.Id == Guid.Empty) identity.Id = RowIds.New();
        identity.CreatedAt = identity.UpdatedAt = now;
        identity.StateChangedAt = now;
        IdentityDerivation.Apply(identity, extraction, stored: null, now);
        await store.InsertAsync(identity, alongside, ct);
        return identity;
    }

    /// <summary>
    /// Replaces schema/traits/state/metadata/external id and re-derives identifiers and addresses (same
    /// exceptions as create; an unknown id is a 404). Credentials in <see cref="Identity.Credentials"/>
    /// replace the stored config of their type; stored credentials of other types are kept. A changed
    /// verifiable address starts unverified; unchanged ones keep their state unless the caller changed it.
    /// Setting the state to inactive ends the identity's sessions in the same transaction.
    /// </summary>
    public async Task<Identity> UpdateAsync(Identity identity, CancellationToken ct = default)
    {
        var extraction = await CheckAsync(identity, ct);
        await HashPlaintextAsync(identity, ct);
        return await store.Database.InTransactionAsync(async (c, tx) =>
        {
            var stored = await store.GetForUpdateAsync(c, tx, identity.Id, ct) ?? throw NotFound();
            CheckImportedHashes(identity, stored);
            var now = Now();
            identity.CreatedAt = stored.CreatedAt;
            identity.UpdatedAt = now;
            identity.StateChangedAt = identity.State != stored.State ? now : stored.StateChangedAt;
            IdentityDerivation.Apply(identity, extraction, stored, now);
            await store.ReplaceAsync(c, tx, identity, stored.Credentials.Keys.ToList(), endSessions: identity.State == "inactive", ct);
            return identity;
        }, ct);
    }

    public Task<Identity?> GetAsync(Guid id, bool includeCredentials = false, CancellationToken ct = default) =>
        store.GetAsync(id, includeCredentials, ct);

    /// <summary>Read inside the caller's transaction, on its connection (a second connection per request can starve a small pool).</summary>
    public Task<Identity?> GetAsync(DbConnection c, DbTransaction tx, Guid id, bool includeCredentials = false, CancellationToken ct = default) =>
        store.GetAsync(c, tx, id, includeCredentials, ct);

    public Task<Identity?> GetByExternalIdAsync(string externalId, bool includeCredentials = false, CancellationToken ct = default) =>
        store.GetByExternalIdAsync(externalId, includeCredentials, ct);

    public Task<IdentityPage> ListAsync(IdentityQuery query, CancellationToken ct = default) => store.ListAsync(query, ct);

    /// <summary>Deletes the identity and, through foreign keys, its credentials, addresses and sessions. False if unknown.</summary>
    public Task<bool> DeleteAsync(Guid id, CancellationToken ct = default) => store.DeleteAsync(id, ct);

    /// <summary>The identity owning credential <paramref name="type"/> with this (normalised here) identifier, with credentials.</summary>
    public Task<Identity?> FindByCredentialIdentifierAsync(string type, string identifier, CancellationToken ct = default) =>
        FindAsync(LookupFor(type, identifier), null, ct);

    /// <summary>The lookup of the identity owning credential <paramref name="type"/> with this identifier as typed.</summary>
    public static IdentityLookup LookupFor(string type, string identifier)
    {
        // Most identifiers are stored lower-cased; totp account names and passkey display names keep their case.
        var normalized = NormalizeIdentifier(identifier);
        var basic = TraitNormalization.Basic(identifier);
        return new IdentityLookup(type, normalized, basic == normalized ? null : basic);
    }

    /// <summary>
    /// The identity <paramref name="lookup"/> names, with credentials. A prefetch of the same lookup (read with a
    /// login's flow) answers for its first identifier, so only the alternative spelling may still need a read.
    /// </summary>
    public async Task<Identity?> FindAsync(IdentityLookup lookup, IdentityPrefetch? prefetched, CancellationToken ct = default)
    {
        if (prefetched is null || prefetched.Lookup != lookup)
            return await store.FindByIdentifierAsync(lookup.CredentialType,
                lookup.Alternative is { } alt ? [lookup.Identifier, alt] : [lookup.Identifier], ct);
        if (prefetched.Found is not null || lookup.Alternative is null) return prefetched.Found;
        return await store.FindByIdentifierAsync(lookup.CredentialType, [lookup.Alternative], ct);
    }

    /// <summary>Replaces one credential's config inside the caller's transaction (e.g. re-hash on login with the session insert).</summary>
    public Task UpdateCredentialConfigAsync(DbConnection c, DbTransaction tx, Guid identityId, string type, JsonObject config, CancellationToken ct = default) =>
        IdentityStore.UpdateCredentialConfigAsync(c, tx, identityId, type, config, Now(), ct);

    /// <summary>
    /// Removes a credential. For oidc/saml, <paramref name="identifier"/> (<c>provider:subject</c>) names the
    /// link to remove; the credential goes when its last link does. False when there is nothing to delete.
    /// </summary>
    public Task<bool> DeleteCredentialAsync(Guid identityId, string type, string? identifier, CancellationToken ct = default) =>
        store.Database.InTransactionAsync(async (c, tx) =>
        {
            var stored = await store.GetForUpdateAsync(c, tx, identityId, ct) ?? throw NotFound();
            if (!stored.Credentials.TryGetValue(type, out var cred)) return false;
            var now = Now();
            if (IdentityDerivation.ProviderTypes.Contains(type))
            {
                var providers = cred.Config["providers"] as JsonArray ?? [];
                var keep = providers.OfType<JsonObject>()
                    .Where(p => $"{p["provider"]?.GetValue<string>()}:{p["subject"]?.GetValue<string>()}" != identifier)
                    .Select(p => (JsonNode)p.DeepClone()).ToArray();
                if (keep.Length == providers.Count) return false;
                if (keep.Length > 0)
                {
                    cred.Config = new JsonObject { ["providers"] = new JsonArray(keep) };
                    cred.Identifiers = IdentityDerivation.ProviderIdentifiers(cred.Config);
                    cred.UpdatedAt = now;
                }
                else stored.Credentials.Remove(type);
            }
            else stored.Credentials.Remove(type);
            stored.UpdatedAt = now;
            await store.ReplaceAsync(c, tx, stored, stored.Credentials.Keys.Append(type).Distinct().ToList(), endSessions: false, ct);
            return true;
        }, ct);

    /// <summary>
    /// Normalises an identifier the way the schema extraction stores it (<see cref="TraitNormalization"/>):
    /// trimmed, Unicode NFKC and lower-cased; a phone number in international form reduced to digits.
    /// </summary>
    public static string NormalizeIdentifier(string identifier) => TraitNormalization.LoginIdentifier(identifier);

    /// <summary>Timestamps with the precision both databases keep (microseconds), so what we return equals what we stored.</summary>
    internal static DateTime Now()
    {
        var t = DateTime.UtcNow;
        return new DateTime(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
    }

    private static ApiException NotFound() => ApiException.NotFound("Unable to locate the resource");

    /// <summary>Schema, state and traits checks shared by create and update; returns what the extension derives.</summary>
    private async ValueTask<SchemaExtraction> CheckAsync(Identity identity, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(identity.SchemaId)) identity.SchemaId = schemas.DefaultSchemaId;
        var schema = await schemas.GetReadyAsync(identity.SchemaId, ct);
        if (identity.State is not ("active" or "inactive"))
            throw ApiException.BadRequest("The identity state must be \"active\" or \"inactive\".");
        identity.Traits ??= new JsonObject();
        var errors = schema.Validate(identity.Traits);
        if (errors.Count > 0) throw new TraitValidationException(errors);
        return schema.Extract(identity.Traits);
    }

    private async Task HashPlaintextAsync(Identity identity, CancellationToken ct)
    {
        if (!identity.Credentials.TryGetValue("password", out var cred)) return;
        if (!cred.Config.TryGetPropertyValue("password", out var node)) return;
        if (node is not JsonValue v || !v.TryGetValue<string>(out var plain))
            throw ApiException.BadRequest("credentials.password.config.password must be a string.");
        if (plain.Length == 0) throw ApiException.BadRequest("credentials.password.config.password must not be empty.");
        string hash;
        try
        {
            hash = await hasher.HashAsync(plain, ct);
        }
        catch (PasswordTooLongException)
        {
            throw ApiException.BadRequest("The password is too long for the configured hashing algorithm.");
        }
        var config = new JsonObject { ["hashed_password"] = hash };
        // A migration-hook flag makes no sense next to a real password: drop it with the plaintext.
        cred.Config = config;
    }

    /// <summary>An imported hash must be one Warden can verify; unchanged stored hashes are not re-judged.</summary>
    private void CheckImportedHashes(Identity identity, Identity? stored)
    {
        if (!identity.Credentials.TryGetValue("password", out var cred)) return;
        if (!cred.Config.TryGetPropertyValue("hashed_password", out var node)) return;
        if (node is not JsonValue v || !v.TryGetValue<string>(out var hash))
            throw ApiException.BadRequest("credentials.password.config.hashed_password must be a string.");
        var storedHash = stored?.Credentials.GetValueOrDefault("password")?.Config["hashed_password"]?.ToString();
        if (hash == storedHash) return;
        if (!hasher.IsSupported(hash))
            throw ApiException.BadRequest("credentials.password.config.hashed_password is not in a supported hash format.");
    }
}

/// <summary>Traits failed schema validation; the errors carry node paths and message ids.</summary>
public sealed class TraitValidationException(IReadOnlyList<Warden.Schemas.TraitError> errors)
    : Exception("The traits do not match the identity schema.")
{
    public IReadOnlyList<Warden.Schemas.TraitError> Errors { get; } = errors;
}

/// <summary>Another identity already holds this identifier (decided by the database's unique index).</summary>
public sealed class DuplicateIdentifierException(string? credentialType, string? identifier)
    : Exception("An identity with this identifier exists already.")
{
    /// <summary>The credential type (identifiers) or address channel (addresses); null for the identity row.</summary>
    public string? CredentialType { get; } = credentialType;
    public string? Identifier { get; } = identifier;
    /// <summary>Which unique index refused the write.</summary>
    public DuplicateKind Kind { get; init; } = DuplicateKind.Identifier;
}

public enum DuplicateKind
{
    /// <summary>A credential identifier (e-mail, username, provider:subject).</summary>
    Identifier,
    /// <summary>The identity row: its external_id (or id) is taken.</summary>
    IdentityRow,
    VerifiableAddress,
    RecoveryAddress,
}
