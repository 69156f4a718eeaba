using Warden.Persistence;
using Warden.Sessions.Cache;
using Xunit;

namespace Warden.Tests.Sessions;

/// <summary>The cache's own rules, without a server: when it serves, what evicts, and what it refuses to store.</summary>
public sealed class SessionCacheTests
{
    private readonly ChangeSignals _changes = new();

    private SessionCache NewCache(int maxEntries = 100, bool current = true, TimeSpan? maxAge = null)
    {
        var cache = new SessionCache(new SessionCacheOptions { MaxEntries = maxEntries, MaxAge = maxAge ?? TimeSpan.FromMinutes(1) }, _changes, new Warden.Observability.CacheCounters());
        if (current) cache.FeedCurrentUntil(Environment.TickCount64 + 60_000);
        return cache;
    }

    private static readonly byte[] HmacKey = new byte[32];

    private static TokenKey K(string token) => TokenKey.Of(HmacKey, token);

    [Fact]
    public void A_token_key_is_the_digest_the_database_stores()
    {
        var key = System.Text.Encoding.UTF8.GetBytes("a-secret-of-some-length-0123456789");
        var token = Warden.Sessions.SessionTokens.NewSessionToken();
        var stored = Warden.Sessions.SessionTokens.Hash(key, token);
        Assert.Equal(stored, TokenKey.Of(key, token).ToHex());
        Assert.Equal(TokenKey.Of(key, token), TokenKey.FromHex(stored));
        Assert.NotEqual(TokenKey.Of(key, token), TokenKey.Of(key, Warden.Sessions.SessionTokens.NewSessionToken()));
    }

    private static CachedWhoami Entry(Guid? identity = null, Guid? session = null, DateTime? expires = null, long? cachedAt = null) =>
        new(session ?? Guid.NewGuid(), identity ?? Guid.NewGuid(), "aal1", null, expires ?? DateTime.UtcNow.AddHours(1),
            cachedAt ?? Environment.TickCount64, [1, 2, 3]);

    [Fact]
    public void An_entry_cached_again_while_its_old_copy_is_evicted_stays_reachable_by_its_session()
    {
        // The feed evicts the identity (removing the old copy of a session's answer) while a reader caches the
        // answer again under the same digest. Afterwards the session's own eviction must still find it: the
        // old copy's index cleanup must not take the new copy's index entries with it.
        var cache = NewCache();
        var identity = Guid.NewGuid();
        var session = Guid.NewGuid();
        var key = K("raced");
        for (var round = 0; round < 20_000; round++)
        {
            cache.Add(key, Entry(identity, session), cache.Stamp);
            using var start = new Barrier(2);
            var evictor = Task.Run(() => { start.SignalAndWait(); cache.EvictIdentity(identity, local: false); });
            var reader = Task.Run(() => { start.SignalAndWait(); cache.Add(key, Entry(identity, session), cache.Stamp); });
            Task.WaitAll(evictor, reader);
            cache.EvictSession(session, local: false);
            Assert.Null(cache.Get(key, DateTime.UtcNow));
        }
    }

    [Fact]
    public void Stores_and_serves_only_while_the_feed_is_current()
    {
        var cache = NewCache(current: false);
        cache.Add(K("k"), Entry(), cache.Stamp);
        Assert.Null(cache.Get(K("k"), DateTime.UtcNow));
        Assert.Equal(0, cache.Count);

        cache.FeedCurrentUntil(Environment.TickCount64 + 60_000);
        cache.Add(K("k"), Entry(), cache.Stamp);
        Assert.NotNull(cache.Get(K("k"), DateTime.UtcNow));

        cache.FeedLost();
        Assert.False(cache.Serving);
        Assert.Null(cache.Get(K("k"), DateTime.UtcNow));
    }

    [Fact]
    public void Expired_sessions_and_old_answers_are_not_served()
    {
        var cache = NewCache(maxAge: TimeSpan.FromSeconds(30));
        cache.Add(K("expired"), Entry(expires: DateTime.UtcNow.AddSeconds(-1)), cache.Stamp);
        cache.Add(K("old"), Entry(cachedAt: Environment.TickCount64 - 31_000), cache.Stamp);
        Assert.Null(cache.Get(K("expired"), DateTime.UtcNow));
        Assert.Null(cache.Get(K("old"), DateTime.UtcNow));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Signals_evict_by_identity_session_and_token()
    {
        var cache = NewCache();
        var alice = Guid.NewGuid();
        var aliceSession = Guid.NewGuid();
        cache.Add(K("a1"), Entry(alice, aliceSession), cache.Stamp);
        cache.Add(K("a2"), Entry(alice), cache.Stamp);
        cache.Add(K("b"), Entry(), cache.Stamp);
        cache.Add(K("c"), Entry(), cache.Stamp);

        _changes.Session(aliceSession);
        Assert.Null(cache.Get(K("a1"), DateTime.UtcNow));
        Assert.NotNull(cache.Get(K("a2"), DateTime.UtcNow));

        _changes.Identity(alice);
        Assert.Null(cache.Get(K("a2"), DateTime.UtcNow));

        _changes.SessionTokens([K("b").ToHex()]);
        Assert.Null(cache.Get(K("b"), DateTime.UtcNow));
        Assert.NotNull(cache.Get(K("c"), DateTime.UtcNow));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void An_answer_read_before_an_eviction_is_not_stored()
    {
        var cache = NewCache();
        var stamp = cache.Stamp;
        _changes.Identity(Guid.NewGuid()); // any change while the read was in flight
        cache.Add(K("k"), Entry(), stamp);
        Assert.Null(cache.Get(K("k"), DateTime.UtcNow));
    }

    [Fact]
    public void An_identity_this_process_just_changed_is_not_cached_again_at_once()
    {
        // The signal comes before the writer commits: a read in between still sees the old rows.
        var cache = NewCache();
        var identity = Guid.NewGuid();
        var session = Guid.NewGuid();
        _changes.Identity(identity);
        _changes.Session(session);
        cache.Add(K("i"), Entry(identity), cache.Stamp);
        cache.Add(K("s"), Entry(session: session), cache.Stamp);
        Assert.Equal(0, cache.Count);

        // Changes reported by the feed are committed already: no such pause.
        var other = Guid.NewGuid();
        cache.EvictIdentity(other, local: false);
        cache.Add(K("o"), Entry(other), cache.Stamp);
        Assert.NotNull(cache.Get(K("o"), DateTime.UtcNow));
    }

    [Fact]
    public void A_full_cache_makes_room_and_stays_within_its_bound()
    {
        var cache = NewCache(maxEntries: 50);
        for (var i = 0; i < 500; i++) cache.Add(K("k" + i), Entry(), cache.Stamp);
        Assert.InRange(cache.Count, 1, 50);
        Assert.NotNull(cache.Get(K("k499"), DateTime.UtcNow));
    }

    [Fact]
    public void Clear_drops_everything()
    {
        var cache = NewCache();
        cache.Add(K("a"), Entry(), cache.Stamp);
        cache.Add(K("b"), Entry(), cache.Stamp);
        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.Null(cache.Get(K("a"), DateTime.UtcNow));
    }
}
