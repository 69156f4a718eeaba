using System.Text.Json.Nodes;
using Warden.Http;

namespace Warden.Schemas;

/// <summary>
/// The document behind one <see cref="IdentitySchema"/>, available now or later. Kratos compat: Kratos
/// loads remote schemas and their external <c>$ref</c>s lazily, so an unreachable schema server does not
/// stop it from starting; here a failed fetch leaves the schema unavailable (503 on use) and is retried on
/// use, at most once per <see cref="SchemaFetcher.RetryInterval"/>. Once loaded, a document never changes.
/// <para>
/// Fetching happens only in <see cref="EnsureRawAsync"/> and <see cref="EnsureReadyAsync"/>, which request paths
/// await before they use the schema; <see cref="Raw"/> and <see cref="Ready"/> never do I/O. A request thread
/// must not wait synchronously for a fetch: it would hold a pool thread for up to the fetch's timeout, and with
/// the runtime's inline socket completions on it may be the one socket thread the fetch needs.
/// </para>
/// </summary>
internal sealed class SchemaDocument
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _id;
    private readonly string? _url;
    private readonly SchemaFetcher? _fetcher;
    private JsonObject? _raw;
    private ReadySchema? _ready;
    private volatile string? _failure;
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
    public string? Failure => _failure;

    /// <summary>A document given in code: used as is, nothing is ever fetched (external refs stay unresolved).</summary>
    public static SchemaDocument Fixed(JsonObject document) =>
        new(id: "", key: null, url: null, fetcher: null) { _raw = document, _ready = new ReadySchema(document, document) };

    /// <summary>
    /// A configured document that loaded and passed the checks. Without external refs it is ready at once;
    /// with them, the refs are fetched on first use.
    /// </summary>
    public static SchemaDocument Loaded(string id, string key, string url, JsonObject raw, SchemaFetcher fetcher) =>
        new(id, key, url, fetcher) { _raw = raw, _ready = SchemaBundle.IsSelfContained(raw) ? new ReadySchema(raw, raw) : null };

    /// <summary>A configured document whose fetch failed at startup.</summary>
    public static SchemaDocument Unavailable(string id, string key, string url, string reason, SchemaFetcher fetcher) =>
        new(id, key, url, fetcher) { _failure = reason, _failedAt = fetcher.Clock.GetUtcNow() };

    /// <summary>The document as configured, once loaded; a 503 <see cref="ApiException"/> otherwise.</summary>
    public JsonObject Raw() => Volatile.Read(ref _raw) ?? throw NotLoaded();

    /// <summary>The document with external refs resolved, once loaded; a 503 <see cref="ApiException"/> otherwise.</summary>
    public ReadySchema Ready() => Volatile.Read(ref _ready) ?? throw NotLoaded();

    /// <summary>Loads the document (not its external refs) unless it is loaded; a 503 <see cref="ApiException"/> when it cannot be.</summary>
    public ValueTask EnsureRawAsync(CancellationToken ct) =>
        Volatile.Read(ref _raw) is not null ? ValueTask.CompletedTask : AttemptAsync(resolve: false, ct);

    /// <summary>Loads the document and its external refs unless they are loaded; a 503 <see cref="ApiException"/> when they cannot be.</summary>
    public ValueTask EnsureReadyAsync(CancellationToken ct) =>
        Volatile.Read(ref _ready) is not null ? ValueTask.CompletedTask : AttemptAsync(resolve: true, ct);

    /// <summary>
    /// One load attempt at a time (concurrent requests wait for it instead of each starting their own), and
    /// none while the last failure is younger than the retry interval.
    /// </summary>
    private async ValueTask AttemptAsync(bool resolve, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if ((resolve ? (object?)_ready : _raw) is not null) return;
            var now = _fetcher!.Clock.GetUtcNow();
            if (_failure is { } failure && now - _failedAt < _fetcher.RetryInterval) throw Unavailable(failure);
            try
            {
                var raw = _raw ?? await LoadRawAsync().ConfigureAwait(false);
                if (resolve)
                    Volatile.Write(ref _ready, new ReadySchema(raw, await SchemaBundle.BuildAsync(raw, _url, _fetcher.FetchAsync).ConfigureAwait(false)));
                _failure = null;
            }
            catch (SchemaSourceException e)
            {
                _failedAt = now;
                _failure = e.Message;
                throw Unavailable(e.Message);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<JsonObject> LoadRawAsync()
    {
        var document = await _fetcher!.FetchAsync(_url!).ConfigureAwait(false);
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

    // Reached only when a caller skipped the Ensure step while the document is missing: the last failure is the
    // best answer; without one the schema simply was not loaded yet.
    private ApiException NotLoaded() => Unavailable(_failure ?? "it has not been loaded yet");

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
