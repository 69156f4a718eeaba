using Warden.Persistence;
using Npgsql;

namespace Warden.Sessions.Cache;

/// <summary>PostgreSQL: LISTEN on the channel the triggers notify; notifications arrive only for committed changes.</summary>
internal sealed partial class SessionChangeFeed
{
    public const string Channel = "warden_session_cache";

    /// <summary>The listening connection's application_name (unless the DSN sets one).</summary>
    public const string ConnectionName = "warden-session-feed";

    // A silently dropped connection delivers nothing and raises nothing, so Npgsql pings it (SELECT NULL, its
    // keepalive) every KeepAliveSeconds while the loop waits; an unanswered ping fails the wait within about
    // twice that. The loop vouches for the feed a little beyond each wait of VouchEvery.
    private const int KeepAliveSeconds = 2;
    private static readonly TimeSpan VouchEvery = TimeSpan.FromSeconds(5);

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Its own unpooled connection: a pooled one would go back to the pool still listening (Warden's
                // pool skips the reset on return), and this one is held for the process's lifetime anyway.
                await using var c = await db.Postgres!.OpenDedicatedAsync(ConnectionName, KeepAliveSeconds, ct);
                c.Notification += OnNotification;
                await c.ExecuteAsync("LISTEN " + Channel);
                Resumed();
                while (!ct.IsCancellationRequested)
                {
                    // Vouch beyond the end of this wait, so the cache keeps serving until the next vouch. Npgsql's
                    // keepalive checks the connection, not a statement of ours: a SELECT every few seconds made an
                    // idle server compile the data reader's largest method, optimized, and keep the 5 MB of memory
                    // that one compilation took (measured: 83 -> 88 MB about 90 s after start).
                    cache.FeedCurrentUntil(Environment.TickCount64 + 2 * (long)VouchEvery.TotalMilliseconds);
                    cache.PruneQuarantine();
                    await c.WaitAsync(VouchEvery, ct);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Lost(e);
                await DelayAsync(RetryDelay, ct);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (Guid.TryParse(e.Payload, out var id)) cache.EvictIdentity(id, local: false);
        else cache.Clear();
    }
}
