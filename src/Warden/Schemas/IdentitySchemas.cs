using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// CONTRACT (filled in by the schemas work): the identity schemas from <c>identity.schemas[]</c> (or the
/// built-in default), loaded once at startup.
/// </summary>
public sealed class IdentitySchemas
{
    public string DefaultSchemaId => throw new NotImplementedException();
    public IReadOnlyList<IdentitySchema> All => throw new NotImplementedException();
    public IdentitySchema? Find(string id) => throw new NotImplementedException();
    /// <summary>The schema or a 400 <c>ApiException</c> naming the unknown id.</summary>
    public IdentitySchema Get(string id) => throw new NotImplementedException();
}

/// <summary>One identity schema and what its <c>ory.sh/kratos</c> extension says.</summary>
public sealed class IdentitySchema
{
    public required string Id { get; init; }
    /// <summary>The raw schema document as served by <c>GET /schemas/{id}</c>.</summary>
    public required JsonObject Document { get; init; }

    /// <summary>Public URL of the schema (<c>&lt;public base&gt;/schemas/&lt;base64url(id)&gt;</c>), for <c>schema_url</c>.</summary>
    public string Url(Warden.Config.BaseUrls urls) => throw new NotImplementedException();

    /// <summary>Validates traits; an empty list means valid.</summary>
    public IReadOnlyList<TraitError> Validate(JsonNode? traits) => throw new NotImplementedException();

    /// <summary>What the extension derives from these traits: identifiers per credential type and addresses.</summary>
    public SchemaExtraction Extract(JsonNode? traits) => throw new NotImplementedException();

    /// <summary>The traits as form fields (for registration/settings nodes): dotted name, JSON type/format, title, required.</summary>
    public IReadOnlyList<TraitField> Fields() => throw new NotImplementedException();
}

/// <summary>
/// A validation error on one trait. <see cref="Path"/> is the node name (<c>traits.email</c>, or
/// <c>traits</c> for the object itself); <see cref="MessageId"/> is the Kratos UI message id
/// (4000002 required, 4000003 minLength, 4000001 generic/format, 4000026 type, …).
/// </summary>
public sealed record TraitError(string Path, int MessageId, string Text, JsonObject Context);

/// <summary>Identifiers are already normalised (trimmed; e-mail lower-cased; NFKC).</summary>
public sealed record SchemaExtraction(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Identifiers,
    IReadOnlyList<AddressRef> VerifiableAddresses,
    IReadOnlyList<AddressRef> RecoveryAddresses);

/// <summary>An address the schema marks as verifiable or recoverable; <see cref="Via"/> is email or sms.</summary>
public sealed record AddressRef(string Via, string Value);

/// <summary>A leaf trait as a form field. <see cref="Name"/> is dotted (<c>traits.name.first</c>).</summary>
public sealed record TraitField(string Name, string JsonType, string? Format, string? Title, bool Required,
    int? MinLength, int? MaxLength, string? Pattern, JsonNode? Enum, string? Autocomplete);
