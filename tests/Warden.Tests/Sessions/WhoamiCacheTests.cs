using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.Sessions.Cache;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Sessions.SessionHttp;

namespace Warden.Tests.Sessions;

/// <summary>
/// The whoami cache on both databases: it really answers from memory, this process's own changes are seen by
/// the very next request, and changes made elsewhere (plain SQL here, as another instance would) arrive through
/// the database's change feed.
/// </summary>
public sealed class WhoamiCacheTests
{
    private static JsonObject Cache(bool enabled = true) => new()
    {
        ["warden"] = new JsonObject
        {
            ["session_cache"] = new JsonObject { ["enabled"] = enabled, ["poll_interval"] = "50ms" },
        },
    };

    private static async Task<SessionHttp> StartServingAsync(string dialect, bool enabled = true)
    {
        var h = await StartAsync(Cache(enabled), dialect);
        if (!enabled) return h;
        var cache = h.Server.Service<SessionCache>();
        // The feed connects in the background after start; until then whoami reads the database.
        await Eventually(() => Task.FromResult(cache.Serving), "the change feed never became current");
        return h;
    }

    [Theory]
    [InlineData("sqlite", true), InlineData("sqlite", false), InlineData("postgres", true), InlineData("postgres", false)]
    public async Task A_cached_answer_does_not_read_the_database_again(string dialect, bool enabled)
    {
        await using var h = await StartServingAsync(dialect, enabled);
        var (_, session) = await h.SignInAsync();
        Assert.Single((await WhoamiAsync(h, session.Token!))["devices"]!.AsArray());

        // Devices are only ever added together with an update of their session (which the feed reports);
        // one slipped in by hand therefore shows whether the second answer came from memory.
        await using (var c = await h.Db.OpenAsync())
            await c.ExecuteAsync(
                "INSERT INTO session_devices (id, nid, session_id, ip_address, user_agent, created_at, updated_at) VALUES (@id, @nid, @sid, '198.51.100.1', 'x', @now, @now)",
                new { id = Guid.NewGuid(), nid = Warden.Persistence.Database.DefaultNetworkId, sid = session.Id, now = DateTime.UtcNow });

        var devices = (await WhoamiAsync(h, session.Token!))["devices"]!.AsArray();
        Assert.Equal(enabled ? 1 : 2, devices.Count);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Changes_made_through_this_server_are_seen_by_the_next_request(string dialect)
    {
        await using var h = await StartServingAsync(dialect);
        var (identity, session) = await h.SignInAsync();
        var other = await h.IssueAsync(identity);
        await WhoamiAsync(h, session.Token!);
        await WhoamiAsync(h, other.Token!);

        var patch = new StringContent("""[{"op":"replace","path":"/traits/email","value":"carol@example.org"}]""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await h.Admin.PatchAsync($"/admin/identities/{identity.Id}", patch)).StatusCode);
        Assert.Equal("carol@example.org", (await WhoamiAsync(h, session.Token!))["identity"]!["traits"]!["email"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.DeleteAsync($"/admin/sessions/{session.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: other.Token))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.DeleteAsync($"/admin/identities/{identity.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: other.Token))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Changes_made_elsewhere_reach_the_cache_through_the_database(string dialect)
    {
        await using var h = await StartServingAsync(dialect);
        var (identity, session) = await h.SignInAsync();
        var other = await h.IssueAsync(identity);
        await WhoamiAsync(h, session.Token!);
        await WhoamiAsync(h, other.Token!);
        var nid = Warden.Persistence.Database.DefaultNetworkId;

        // What another Warden instance (or an operator with psql) would do: nothing in this process is told.
        await using (var c = await h.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE identity_verifiable_addresses SET verified = @yes WHERE nid = @nid AND identity_id = @id",
                new { yes = true, nid, id = identity.Id });
        await Eventually(async () => (await WhoamiAsync(h, session.Token!))["identity"]!["verifiable_addresses"]![0]!["verified"]!.GetValue<bool>(),
            "a verified address never reached the cached answer");

        await using (var c = await h.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE sessions SET active = @no WHERE nid = @nid AND id = @id", new { no = false, nid, id = other.Id });
        await Eventually(async () => (await h.Public.SendAsync(Get("/sessions/whoami", token: other.Token))).StatusCode == HttpStatusCode.Unauthorized,
            "a session revoked in the database was still served from the cache");
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_revoked_session_is_refused_from_the_revocation_on_while_readers_keep_caching(string dialect)
    {
        await using var h = await StartServingAsync(dialect);
        var (identity, first) = await h.SignInAsync();
        var sessions = new List<Warden.Sessions.Session> { first };
        for (var i = 0; i < 15; i++) sessions.Add(await h.IssueAsync(identity));

        // Readers keep loading and caching every session while the sessions are revoked one by one, so loads
        // that started before a revocation race with it.
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            for (var i = n; !stop.IsCancellationRequested; i++)
                await h.Public.SendAsync(Get("/sessions/whoami", token: sessions[i % sessions.Count].Token));
        })).ToList();
        try
        {
            foreach (var s in sessions)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.DeleteAsync($"/admin/sessions/{s.Id}")).StatusCode);
                for (var i = 0; i < 3; i++)
                    Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: s.Token))).StatusCode);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task The_admin_metrics_count_what_the_cache_did(string dialect)
    {
        await using var h = await StartServingAsync(dialect);
        var (identity, session) = await h.SignInAsync();
        var before = await MetricsAsync(h);
        await WhoamiAsync(h, session.Token!);
        await WhoamiAsync(h, session.Token!);
        await WhoamiAsync(h, session.Token!);
        var after = await MetricsAsync(h);
        Assert.Equal(1, after["warden_session_cache_misses_total"] - before["warden_session_cache_misses_total"]);
        Assert.Equal(2, after["warden_session_cache_hits_total"] - before["warden_session_cache_hits_total"]);
        Assert.Equal(1, after["warden_session_cache_entries"]);
        Assert.Equal(1, after["warden_session_cache_serving"]);
        Assert.True(after["process_resident_memory_bytes"] > 0);
        Assert.True(after["dotnet_jit_methods_total"] > 0);
        // Three requests between the two reads allocated something.
        Assert.True(after["dotnet_gc_allocated_bytes_total"] > before["dotnet_gc_allocated_bytes_total"]);

        // A change by another process arrives through the feed and is counted as such.
        await using (var c = await h.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE identities SET state = 'active' WHERE nid = @nid AND id = @id",
                new { nid = Warden.Persistence.Database.DefaultNetworkId, id = identity.Id });
        await Eventually(async () => (await MetricsAsync(h))["warden_session_cache_feed_evictions_total"] >= 1,
            "the feed's eviction was never counted");
        Assert.Equal(0, (await MetricsAsync(h))["warden_session_cache_entries"]);
    }

    /// <summary>The admin port's Prometheus text, parsed into sample name -> value (labels kept in the name).</summary>
    private static async Task<Dictionary<string, double>> MetricsAsync(SessionHttp h)
    {
        var r = await h.Admin.GetAsync("/metrics/prometheus");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", r.Content.Headers.ContentType!.ToString());
        var samples = new Dictionary<string, double>();
        foreach (var line in (await r.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            var cut = line.LastIndexOf(' ');
            samples[line[..cut]] = double.Parse(line[(cut + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return samples;
    }

    [Fact]
    public async Task A_truncated_sessions_table_empties_every_cache_on_postgres()
    {
        await using var h = await StartServingAsync("postgres");
        var (_, session) = await h.SignInAsync();
        await WhoamiAsync(h, session.Token!);
        // TRUNCATE fires no row triggers; its statement trigger sends a flush instead.
        await using (var c = await h.Db.OpenAsync())
            await c.ExecuteAsync("TRUNCATE sessions CASCADE");
        await Eventually(async () => (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode == HttpStatusCode.Unauthorized,
            "a truncated session was still served from the cache");
    }

    [Fact]
    public async Task After_an_idle_spell_the_sqlite_feed_still_sees_a_change_made_elsewhere()
    {
        await using var h = await StartServingAsync("sqlite");
        var (_, session) = await h.SignInAsync();
        await WhoamiAsync(h, session.Token!);
        // Long enough for the file times to settle, so the feed stops querying an unchanged database.
        await Task.Delay(3500);
        await using (var c = await h.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE sessions SET active = @no WHERE id = @id", new { no = false, id = session.Id });
        await Eventually(async () => (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode == HttpStatusCode.Unauthorized,
            "a session revoked in the database after an idle spell was still served from the cache");
    }

    [Fact]
    public async Task A_lost_listener_connection_pauses_the_cache_and_it_resumes_empty()
    {
        await using var h = await StartServingAsync("postgres");
        var cache = h.Server.Service<SessionCache>();
        var (_, session) = await h.SignInAsync();
        await WhoamiAsync(h, session.Token!);
        Assert.Equal(1, cache.Count);

        // Kill the LISTEN connection; a revocation made meanwhile has no listener to reach.
        await using (var c = await h.Db.OpenAsync())
        {
            var killed = await c.ExecuteScalarAsync<int>(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name",
                new { name = SessionChangeFeed.ConnectionName });
            Assert.Equal(1, killed);
            await c.ExecuteAsync("UPDATE sessions SET active = false WHERE id = @id", new { id = session.Id });
        }
        await Eventually(async () => (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode == HttpStatusCode.Unauthorized,
            "a session revoked while the feed was down was still served");
        // The feed comes back on its own and the cache serves again.
        await Eventually(() => Task.FromResult(cache.Serving), "the change feed never came back");
    }

    [Fact]
    public async Task The_listener_connection_is_watched_by_tcp_keepalive()
    {
        // A connection dropped without a word (a NAT or firewall forgetting it) raises nothing on a waiting
        // reader; only the kernel's keepalive probes find it. Linux shows an armed keepalive timer as timer
        // kind 2 in /proc/net/tcp{,6}; an idle socket without keepalive shows 0.
        if (!File.Exists("/proc/net/tcp")) return;
        await using var h = await StartServingAsync("postgres");
        int port, server;
        await using (var c = await h.Db.OpenAsync())
        {
            port = await c.ExecuteScalarAsync<int>(
                "SELECT client_port FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name",
                new { name = SessionChangeFeed.ConnectionName });
            server = await c.ExecuteScalarAsync<int>("SELECT inet_server_port()");
        }
        Assert.True(port > 0, "the listener connection did not come from TCP");
        // Both ends: Linux reuses an ephemeral port for connections to other destinations, so the local port alone
        // also matched other tests' sockets (seen: four rows under a full run).
        var (local, remote) = ($":{port:X4}", $":{server:X4}");
        var timers = new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists)
            .SelectMany(File.ReadLines).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 5 && f[1].EndsWith(local, StringComparison.Ordinal) && f[2].EndsWith(remote, StringComparison.Ordinal))
            .Select(f => f[5].Split(':')[0]).ToList();
        Assert.Equal(["02"], timers);
    }

    private static async Task<JsonObject> WhoamiAsync(SessionHttp h, string token)
    {
        var r = await h.Public.SendAsync(Get("/sessions/whoami", token: token));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await JsonAsync(r);
    }

    /// <summary>Waits for an eventual outcome; the bound is generous and is not what the test asserts.</summary>
    private static async Task Eventually(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(failure);
            await Task.Delay(25);
        }
    }
}
