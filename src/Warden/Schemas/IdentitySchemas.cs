using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Http;

namespace Warden.Schemas;

/// <summary>
/// CONTRACT: the identity schemas from <c>identity.schemas[]</c> (or the built-in default), read and
/// checked at startup (<see cref="Load"/>); the set is immutable afterwards. A remote schema that cannot be
/// fetched yet is listed but unavailable (see <see cref="IdentitySchema"/>).
/// </summary>
public sealed class IdentitySchemas
{
    private readonly Dictionary<string, IdentitySchema> _byId;

    public IdentitySchemas(IEnumerable<IdentitySchema> schemas, string defaultSchemaId)
    {
        All = schemas.ToList();
        _byId = new Dictionary<string, IdentitySchema>(StringComparer.Ordinal);
        foreach (var s in All)
            if (!_byId.TryAdd(s.Id, s)) throw new ArgumentException($"identity schema id '{s.Id}' is used twice", nameof(schemas));
        if (!_byId.ContainsKey(defaultSchemaId))
            throw new ArgumentException($"the default schema '{defaultSchemaId}' is not among the schemas", nameof(defaultSchemaId));
        DefaultSchemaId = defaultSchemaId;
    }

    /// <summary>
    /// Reads <c>identity.*</c>: loads and checks every schema, or throws <see cref="ConfigException"/> for
    /// mistakes in the configuration. An http(s) schema that cannot be fetched is kept as unavailable.
    /// </summary>
    public static IdentitySchemas Load(WardenConfig config) => SchemaLoader.Load(config);

    /// <summary>The same, fetching http(s) schemas through <paramref name="handler"/> (tests).</summary>
    internal static IdentitySchemas Load(WardenConfig config, HttpMessageHandler handler) => SchemaLoader.Load(config, handler: handler);

    /// <summary>Fetches unavailable documents and external refs later; null for schemas built in code.</summary>
    internal SchemaFetcher? Fetcher { get; init; }

    /// <summary>Only the built-in default schema (e-mail + password).</summary>
    public static IdentitySchemas BuiltIn() => new([DefaultSchema.Create()], DefaultSchema.Id);

    public string DefaultSchemaId { get; }
    public IReadOnlyList<IdentitySchema> All { get; }
    public IdentitySchema Default => _byId[DefaultSchemaId];

    public IdentitySchema? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The schema or a 400 <c>ApiException</c> naming the unknown id.</summary>
    public IdentitySchema Get(string id) =>
        Find(id) ?? throw ApiException.BadRequest($"The identity schema \"{Shorten(id)}\" does not exist.");

    /// <summary>
    /// The schema, loaded and with its external refs resolved (fetched now when needed), ready to validate,
    /// extract and render; a 400 for an unknown id, a 503 when it cannot be loaded. Request paths use this.
    /// </summary>
    public async ValueTask<IdentitySchema> GetReadyAsync(string id, CancellationToken ct)
    {
        var schema = Get(id);
        await schema.EnsureReadyAsync(ct).ConfigureAwait(false);
        return schema;
    }

    /// <summary>
    /// Kratos compat: schema URLs carry the id base64url-encoded, but clients also ask with the raw id; the raw
    /// id wins when both readings exist.
    /// </summary>
    public IdentitySchema? FindByUrlSegment(string segment)
    {
        if (Find(segment) is { } raw) return raw;
        return IdentitySchema.TryDecodeId(segment) is { } decoded ? Find(decoded) : null;
    }

    private static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "…";
}

/// <summary>
/// One identity schema and what its <c>ory.sh/kratos</c> extension says. A configured schema may be
/// unavailable (its http(s) document or an external <c>$ref</c> could not be fetched): then every member
/// that needs the document throws a 503 <see cref="ApiException"/> saying why, and a later
/// <see cref="EnsureReadyAsync"/> retries.
/// </summary>
public sealed class IdentitySchema
{
    private readonly SchemaDocument _source = null!;

    public IdentitySchema()
    {
    }

    // Document has no storage of its own: it reads through the source set here, so the compiler's
    // "Document not set" warning does not apply.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    internal IdentitySchema(string id, SchemaDocument source)
    {
        Id = id;
        _source = source;
    }
#pragma warning restore CS8618

    public required string Id { get; init; }

    /// <summary>The raw schema document as served by <c>GET /schemas/{id}</c>. Treat as read-only.</summary>
    public required JsonObject Document
    {
        get => _source.Raw();
        init => _source = SchemaDocument.Fixed(value);
    }

    /// <summary>
    /// Fetches the document and its external refs when they are not loaded yet (asynchronously, at most once per
    /// retry interval after a failure): the members below never fetch, so a request awaits this first
    /// (<see cref="IdentitySchemas.GetReadyAsync"/>). A 503 <see cref="ApiException"/> when they cannot be loaded.
    /// </summary>
    public ValueTask EnsureReadyAsync(CancellationToken ct = default) => _source.EnsureReadyAsync(ct);

    /// <summary>The same for the raw document only (<see cref="Document"/>), which serves even when an external ref cannot be fetched.</summary>
    public ValueTask EnsureDocumentAsync(CancellationToken ct = default) => _source.EnsureRawAsync(ct);

    /// <summary>Where the document comes from (and whether it is available), for startup reporting.</summary>
    internal SchemaDocument Source => _source;

    /// <summary>Public URL of the schema (<c>&lt;public base&gt;/schemas/&lt;base64url(id)&gt;</c>), for <c>schema_url</c>.</summary>
    public string Url(BaseUrls urls) => urls.PublicUrl("schemas/" + EncodeId(Id));

    /// <summary>base64url without padding, as Kratos puts ids into schema URLs.</summary>
    public static string EncodeId(string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(id)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string? TryDecodeId(string segment)
    {
        var b64 = segment.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        var buffer = new byte[b64.Length];
        if (!Convert.TryFromBase64String(b64, buffer, out var n)) return null;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, n);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// Validates traits (the schema describes <c>{"traits": …}</c>, so they are wrapped first); an empty
    /// list means valid. Absent traits are checked as an empty object, so required traits are reported.
    /// </summary>
    public IReadOnlyList<TraitError> Validate(JsonNode? traits) =>
        _source.Ready().Validator.Validate(new JsonObject { ["traits"] = traits?.DeepClone() ?? new JsonObject() });

    /// <summary>What the extension derives from these traits: identifiers per credential type and addresses.</summary>
    public SchemaExtraction Extract(JsonNode? traits) => SchemaExtension.Extract(_source.Ready().Resolved, traits);

    /// <summary>The traits as form fields (for registration/settings nodes): dotted name, JSON type/format, title, required.</summary>
    public IReadOnlyList<TraitField> Fields() => _source.Ready().Fields;
}

/// <summary>
/// A validation error on one trait. <see cref="Path"/> is the node name (<c>traits.email</c>, or
/// <c>traits</c> for the object itself); <see cref="MessageId"/> is the Kratos UI message id
/// (4000002 required, 4000003 minLength, 4000001 generic/format, 4000026 type, …).
/// </summary>
public sealed record TraitError(string Path, int MessageId, string Text, JsonObject Context);

/// <summary>Identifiers are already normalised (trimmed; e-mail lower-cased; NFKC).</summary>
/// <param name="Identifiers">Per credential type (password, webauthn, code, totp, passkey), sorted, distinct.</param>
public sealed record SchemaExtraction(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Identifiers,
    IReadOnlyList<AddressRef> VerifiableAddresses,
    IReadOnlyList<AddressRef> RecoveryAddresses)
{
    /// <summary>Addresses a one-time code can be sent to (<c>credentials.code.identifier</c> with its <c>via</c>).</summary>
    public IReadOnlyList<AddressRef> CodeAddresses { get; init; } = [];

    /// <summary>The identifiers for one credential type, or none.</summary>
    public IReadOnlyList<string> For(string credentialType) =>
        Identifiers.TryGetValue(credentialType, out var ids) ? ids : [];
}

/// <summary>An address the schema marks as verifiable or recoverable; <see cref="Via"/> is email or sms.</summary>
public sealed record AddressRef(string Via, string Value);

/// <summary>A leaf trait as a form field. <see cref="Name"/> is dotted (<c>traits.name.first</c>).</summary>
public sealed record TraitField(string Name, string JsonType, string? Format, string? Title, bool Required,
    int? MinLength, int? MaxLength, string? Pattern, JsonNode? Enum, string? Autocomplete);
