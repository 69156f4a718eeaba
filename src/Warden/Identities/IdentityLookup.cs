namespace Warden.Identities;

/// <summary>
/// Names the identity owning credential <see cref="CredentialType"/> with <see cref="Identifier"/> (normalised), or
/// else with <see cref="Alternative"/> (the identifier as typed, when that spelling differs). Described ahead of the
/// read so a login can fetch the identity with its flow in one command (<see cref="IdentityPrefetch"/>).
/// </summary>
public sealed record IdentityLookup(string CredentialType, string Identifier, string? Alternative);

/// <summary>What a read ahead of <see cref="Lookup"/> found for its first identifier (null: no identity has it).</summary>
public sealed record IdentityPrefetch(IdentityLookup Lookup, Identity? Found);
