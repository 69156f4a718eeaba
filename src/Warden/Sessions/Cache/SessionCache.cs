using System.Collections.Concurrent;
using Warden.Observability;
using Warden.Persistence;

namespace Warden.Sessions.Cache;

/// <summary>One whoami answer as served: the rendered JSON plus what each request must still check.</summary>
internal sealed record CachedWhoami(Guid SessionId, Guid IdentityId, string Aal, string? IdentityAvailableAal, DateTime ExpiresAt,
    long CachedAtMs, byte[] Json);

/// <summary>
/// Whoami answers by token digest, so a session check costs no database round trip. Freshness comes from two
/// sources: this process's own writes (<see cref="ChangeSignals"/>, dropped at once) and the database's change
/// feed for everybody else's (<see cref="SessionChangeFeed"/>: LISTEN/NOTIFY on PostgreSQL, a polled trigger
/// log on SQLite). Nothing is served while the feed is not known to be current, and every answer is re-read
/// after <see cref="SessionCacheOptions.MaxAge"/> at the latest.
/// </summary>
internal sealed class SessionCache : IDisposable
{
    // A process's own writes signal before their transaction commits; a request reading in that window still
    // sees the old rows, so the identity is not cached again for this long (far above any transaction here).
    private const long QuarantineMs = 2_000;

    private readonly SessionCacheOptions _options;
    private readonly ChangeSignals _changes;
    private readonly ConcurrentDictionary<TokenKey, CachedWhoami> _entries = new();
    private readonly ConcurrentDictionary<Guid, TokenKey> _bySession = new();
    // An identity has one or a few sessions: a small copy-on-write array each, not a dictionary per identity.
    private readonly ConcurrentDictionary<Guid, TokenKey[]> _byIdentity = new();
    private readonly ConcurrentDictionary<Guid, long> _quarantine = new();
    private readonly Lock _trim = new();
    // An entry and its two index mappings change together under this lock (reads of entries stay lock-free).
    // Without it, removing an old entry's mappings could delete the mappings of a new entry just cached under
    // the same digest, leaving that entry unreachable for EvictSession/EvictIdentity: a revoked session was
    // then served from the cache until the feed's identity eviction (seen once in ./test.sh).
    private readonly Lock _index = new();
    private long _epoch;
    private int _count;
    private long _feedValidUntilMs;

    public SessionCache(SessionCacheOptions options, ChangeSignals changes, CacheCounters counters)
    {
        _options = options;
        _changes = changes;
        Counters = counters;
        _changes.IdentityChanged += OnIdentityChanged;
        _changes.SessionChanged += OnSessionChanged;
        _changes.SessionTokenChanged += OnTokenChanged;
    }

    public bool Enabled => _options.Enabled;

    /// <summary>True while answers are served from memory (enabled and the change feed is current).</summary>
    public bool Serving => _options.Enabled && NowMs < Interlocked.Read(ref _feedValidUntilMs);
    public int Count => Volatile.Read(ref _count);
    public CacheCounters Counters { get; }

    /// <summary>A value to hand back to <see cref="Add"/>: answers read before a later eviction are not stored.</summary>
    public long Stamp => Interlocked.Read(ref _epoch);

    private static long NowMs => Environment.TickCount64;

    /// <summary>The feed vouches for changes up to now and will keep doing so until <paramref name="untilMs"/> (TickCount64).</summary>
    public void FeedCurrentUntil(long untilMs) => Interlocked.Exchange(ref _feedValidUntilMs, untilMs);

    public void FeedLost() => Interlocked.Exchange(ref _feedValidUntilMs, 0);

    public CachedWhoami? Get(TokenKey digest, DateTime nowUtc)
    {
        var now = NowMs;
        if (!Serving)
        {
            if (_options.Enabled) Counters.NotServingRead();
            return null;
        }
        if (_entries.TryGetValue(digest, out var e))
        {
            if (now - e.CachedAtMs < (long)_options.MaxAge.TotalMilliseconds && e.ExpiresAt > nowUtc)
            {
                Counters.Hit();
                return e;
            }
            Remove(digest);
        }
        Counters.Miss();
        return null;
    }

    public void Add(TokenKey digest, CachedWhoami entry, long stamp)
    {
        var now = NowMs;
        if (!Serving || stamp != Stamp || Quarantined(entry.IdentityId, now) || Quarantined(entry.SessionId, now))
        {
            Counters.AddRefused();
            return;
        }
        if (Volatile.Read(ref _count) >= _options.MaxEntries) Trim();
        lock (_index)
        {
            if (_entries.TryAdd(digest, entry))
            {
                Interlocked.Increment(ref _count);
                _bySession[entry.SessionId] = digest;
                _byIdentity.AddOrUpdate(entry.IdentityId, [digest], (_, keys) => keys.Contains(digest) ? keys : [.. keys, digest]);
            }
        }
        // An eviction that ran while this entry was being indexed may have missed it: undo.
        if (stamp != Stamp)
        {
            Counters.AddRefused();
            Remove(digest);
        }
    }

    public void EvictIdentity(Guid identityId, bool local)
    {
        Interlocked.Increment(ref _epoch);
        if (local) Quarantine(identityId);
        else Counters.FeedEviction();
        TokenKey[]? keys;
        lock (_index) _byIdentity.TryRemove(identityId, out keys);
        foreach (var k in keys ?? []) Remove(k);
    }

    public void EvictSession(Guid sessionId, bool local)
    {
        Interlocked.Increment(ref _epoch);
        if (local) Quarantine(sessionId);
        if (_bySession.TryGetValue(sessionId, out var digest)) Remove(digest);
    }

    public void EvictDigest(TokenKey digest)
    {
        Interlocked.Increment(ref _epoch);
        Remove(digest);
    }

    /// <summary>Drops everything (the feed was interrupted: changes may have been missed).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _epoch);
        foreach (var k in _entries.Keys) Remove(k);
    }

    /// <summary>Forgets quarantines that have run out (called from the feed's loop).</summary>
    public void PruneQuarantine()
    {
        var now = NowMs;
        foreach (var (id, until) in _quarantine)
            if (until <= now) _quarantine.TryRemove(new KeyValuePair<Guid, long>(id, until));
    }

    private void Quarantine(Guid id)
    {
        // Nothing is cached when disabled, and without a running feed nobody else prunes: keep the map bounded.
        if (!_options.Enabled) return;
        if (_quarantine.Count >= MaxQuarantined) PruneQuarantine();
        _quarantine[id] = NowMs + QuarantineMs;
    }

    private const int MaxQuarantined = 10_000;

    private bool Quarantined(Guid id, long now) => _quarantine.TryGetValue(id, out var until) && until > now;

    private void Remove(TokenKey digest)
    {
        lock (_index)
        {
            if (!_entries.TryRemove(digest, out var e)) return;
            Interlocked.Decrement(ref _count);
            _bySession.TryRemove(new KeyValuePair<Guid, TokenKey>(e.SessionId, digest));
            if (!_byIdentity.TryGetValue(e.IdentityId, out var keys)) return;
            var rest = keys.Where(k => k != digest).ToArray();
            if (rest.Length == 0) _byIdentity.TryRemove(e.IdentityId, out _);
            else _byIdentity[e.IdentityId] = rest;
        }
    }

    /// <summary>
    /// Full: drop what is past its age, then about a tenth of the rest in the dictionary's own order (effectively
    /// random), which unlike LRU keeps a good share of hits when a working set cycles through more than fits.
    /// </summary>
    private void Trim()
    {
        lock (_trim)
        {
            var before = Volatile.Read(ref _count);
            if (before < _options.MaxEntries) return;
            var now = NowMs;
            var maxAge = (long)_options.MaxAge.TotalMilliseconds;
            foreach (var (k, e) in _entries)
                if (now - e.CachedAtMs >= maxAge) Remove(k);
            var target = _options.MaxEntries - Math.Max(1, _options.MaxEntries / 10);
            foreach (var k in _entries.Keys)
            {
                if (Volatile.Read(ref _count) <= target) break;
                Remove(k);
            }
            Counters.Trim(before - Volatile.Read(ref _count));
        }
    }

    private void OnIdentityChanged(Guid id) => EvictIdentity(id, local: true);
    private void OnSessionChanged(Guid id) => EvictSession(id, local: true);
    private void OnTokenChanged(string hexDigest) => EvictDigest(TokenKey.FromHex(hexDigest));

    public void Dispose()
    {
        _changes.IdentityChanged -= OnIdentityChanged;
        _changes.SessionChanged -= OnSessionChanged;
        _changes.SessionTokenChanged -= OnTokenChanged;
    }
}
