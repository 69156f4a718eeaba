using System.Data.Common;
using System.Text.Json.Nodes;

namespace Warden.Identities;

/// <summary>
/// CONTRACT (filled in by the identities work): the one way in for creating and changing identities, used by
/// the admin API and by self-service flows. It validates traits against the schema, derives credential
/// identifiers and addresses from the <c>ory.sh/kratos</c> extension, normalises identifiers and writes
/// everything in one transaction.
/// </summary>
public sealed class IdentityService
{
    /// <summary>
    /// Creates an identity (traits validated, identifiers/addresses derived, password credentials hashed or
    /// imported). Throws <see cref="TraitValidationException"/> or <see cref="DuplicateIdentifierException"/>.
    /// </summary>
    public Task<Identity> CreateAsync(Identity identity, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Replaces traits/state/metadata and re-derives identifiers and addresses (same exceptions as create).</summary>
    public Task<Identity> UpdateAsync(Identity identity, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<Identity?> GetAsync(Guid id, bool includeCredentials = false, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>The identity owning credential <paramref name="type"/> with this (normalised here) identifier, with credentials.</summary>
    public Task<Identity?> FindByCredentialIdentifierAsync(string type, string identifier, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Replaces one credential's config inside the caller's transaction (e.g. re-hash on login with the session insert).</summary>
    public Task UpdateCredentialConfigAsync(DbConnection c, DbTransaction tx, Guid identityId, string type, JsonObject config, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Normalises an identifier the way the database stores it (trim, NFKC, lower-case e-mail).</summary>
    public static string NormalizeIdentifier(string identifier) => throw new NotImplementedException();
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
    public string? CredentialType { get; } = credentialType;
    public string? Identifier { get; } = identifier;
}
