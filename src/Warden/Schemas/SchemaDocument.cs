using System.Text.Json.Nodes;
using Warden.Http;

namespace Warden.Schemas;

/// <summary>
/// The document behind one <see cref="IdentitySchema"/>, available now or later. Kratos compat: Kratos
/// loads remote schemas and their external <c>$ref</c>s lazily, so an unreachable schema server does not
/// stop it from starting; here a failed fetch leaves the schema unavailable (503 on use) and is retried on
/// use, at most once per <see cref="SchemaFetcher.RetryInterval"/>. Once loaded, a document never changes.
/// </summary>
internal sealed class SchemaDocument
{
    private readonly object _gate = new();
    private readonly string _id;
    private readonly string? _url;
    private readonly SchemaFetcher? _fetcher;
    private JsonObject? _raw;
    private ReadySchema? _ready;
    private string? _failure;
    private DateTimeOffset _failedAt;

    private SchemaDocument(string id, string? key, string? url, SchemaFetcher? fetcher)
    {
        _id = id;
        Key = key;
        _url = url;
        _fetcher = fetcher;
    }

    /// <summary>The config key (<c>identity.schemas.0.url</c>) for log lines; null for schemas built in code.</summary>
    public string? Key { get; }

    /// <summary>Why the last attempt failed, while it stands; null once loaded.</summary>
    public string? Failure
    {
        get { lock (_gate) return _failure; }
    }

    /// <summary>A document given in code: used as is, nothing is ever fetched (external refs stay unresolved).</summary>
    public static SchemaDocument Fixed(JsonObject document) =>
        new(id: "", key: null, url: null, fetcher: null) { _raw = document, _ready = new ReadySchema(document, document) };

    /// <summary>A configured document that loaded and passed the checks; external refs are fetched on first use.</summary>
    public static SchemaDocument Loaded(string id, string key, string url, JsonObject raw, SchemaFetcher fetcher) =>
        new(id, key, url, fetcher) { _raw = raw };

    /// <summary>A configured document whose fetch failed at startup.</summary>
    public static SchemaDocument Unavailable(string id, string key, string url, string reason, SchemaFetcher fetcher) =>
        new(id, key, url, fetcher) { _failure = reason, _failedAt = fetcher.Clock.GetUtcNow() };

    /// <summary>The document as configured, or a 503 <see cref="ApiException"/> when it cannot be fetched.</summary>
    public JsonObject Raw() => Volatile.Read(ref _raw) ?? Attempt(() => _raw ?? LoadRaw());

    /// <summary>The document with external refs resolved, ready to validate; or a 503 <see cref="ApiException"/>.</summary>
    public ReadySchema Ready() => Volatile.Read(ref _ready) ?? Attempt(() =>
    {
        if (_ready is { } done) return done;
        var raw = _raw ?? LoadRaw();
        var ready = new ReadySchema(raw, SchemaBundle.Build(raw, _url, _fetcher!.Fetch));
        Volatile.Write(ref _ready, ready);
        return ready;
    });

    /// <summary>
    /// Runs one load step under the lock (concurrent requests wait for one fetch instead of each starting
    /// their own), unless the last failure is younger than the retry interval.
    /// </summary>
    private T Attempt<T>(Func<T> step)
    {
        lock (_gate)
        {
            var now = _fetcher!.Clock.GetUtcNow();
            if (_failure is not null && now - _failedAt < _fetcher.RetryInterval) throw Unavailable(_failure);
            try
            {
                var result = step();
                _failure = null;
                return result;
            }
            catch (SchemaSourceException e)
            {
                _failure = e.Message;
                _failedAt = now;
                throw Unavailable(e.Message);
            }
        }
    }

    private JsonObject LoadRaw()
    {
        var document = _fetcher!.Fetch(_url!);
        Check(document, _url!);
        Volatile.Write(ref _raw, document);
        return document;
    }

    /// <summary>The identity meta rules; a failure is a (non-remote) <see cref="SchemaSourceException"/>.</summary>
    public static void Check(JsonObject document, string url)
    {
        var problems = SchemaMetaCheck.Check(document, url);
        if (problems.Count > 0)
            throw new SchemaSourceException("not a valid identity schema: " + string.Join("; ", problems));
    }

    // The reason names what failed (status, timeout, refused address), never the URL: it may carry credentials.
    private ApiException Unavailable(string reason) =>
        new(503, "The identity schema could not be loaded", $"The identity schema \"{_id}\" could not be loaded: {reason}");
}

/// <summary>A loaded schema: the raw document, its self-contained form and what is derived from it once.</summary>
internal sealed class ReadySchema
{
    private readonly Lazy<SchemaValidator> _validator;
    private readonly Lazy<IReadOnlyList<TraitField>> _fields;

    public ReadySchema(JsonObject raw, JsonObject resolved)
    {
        Raw = raw;
        Resolved = resolved;
        _validator = new(() => new SchemaValidator(resolved));
        _fields = new(() => SchemaFields.Build(resolved));
    }

    public JsonObject Raw { get; }
    public JsonObject Resolved { get; }
    public SchemaValidator Validator => _validator.Value;
    public IReadOnlyList<TraitField> Fields => _fields.Value;
}
