using System.Globalization;
using Microsoft.Data.Sqlite;
using Warden.Persistence;

namespace Warden.Sessions.Cache;

/// <summary>SQLite: follow <c>session_cache_changes</c> by its sequence (one writer at a time, so in commit order).</summary>
internal sealed partial class SessionChangeFeed
{
    // Other processes may lag behind; an hour of log is far more than any of them needs.
    private static readonly TimeSpan LogRetention = TimeSpan.FromHours(1);
    private static readonly TimeSpan TrimEvery = TimeSpan.FromMinutes(5);

    private async Task PollLoopAsync(CancellationToken ct)
    {
        long? last = null;
        var nextTrim = DateTime.UtcNow + TrimEvery;
        var interval = options.PollInterval;
        // An in-memory database has no file, and no other process can change it.
        var probe = db.Dsn.InMemory ? null : new SqliteChangeProbe(new SqliteConnectionStringBuilder(db.Dsn.ConnectionString).DataSource);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Nothing committed since the last read: nothing to evict, and the feed is as current as then. A
                // statement every second kept an idle server's runtime compiling the query path again, optimized.
                var unchanged = last is not null && probe is not null && !probe.MayHaveChanged() && DateTime.UtcNow < nextTrim;
                if (!unchanged)
                {
                    await using var c = await db.OpenAsync(ct);
                    if (last is null)
                    {
                        last = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM session_cache_changes");
                        Resumed();
                    }
                    var rows = await c.QueryAsync<(long Seq, string IdentityId)>(new SqlStatement(
                        "SELECT seq AS Seq, identity_id AS IdentityId FROM session_cache_changes WHERE seq > @last ORDER BY seq LIMIT 10000",
                        new { last }, cancellationToken: ct));
                    foreach (var (seq, identity) in rows)
                    {
                        if (Guid.TryParse(identity, out var id)) cache.EvictIdentity(id, local: false);
                        last = seq;
                    }
                    if (DateTime.UtcNow >= nextTrim)
                    {
                        nextTrim = DateTime.UtcNow + TrimEvery;
                        var cutoff = (DateTime.UtcNow - LogRetention).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                        await c.ExecuteAsync(new SqlStatement("DELETE FROM session_cache_changes WHERE changed_at < @cutoff", new { cutoff }, cancellationToken: ct));
                    }
                }
                // Valid for a few polls: one slow poll must not switch the cache off, a stalled feed must.
                cache.FeedCurrentUntil(Environment.TickCount64 + 3 * (long)interval.TotalMilliseconds);
                cache.PruneQuarantine();
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // The log may have been trimmed past us meanwhile: start again from its end (and an empty cache).
                last = null;
                probe?.Forget();
                Lost(e);
            }
            await DelayAsync(interval, ct);
        }
    }
}
