using Warden.Persistence;
using Npgsql;

namespace Warden.Sessions.Cache;

/// <summary>PostgreSQL: LISTEN on the channel the triggers notify; notifications arrive only for committed changes.</summary>
internal sealed partial class SessionChangeFeed
{
    public const string Channel = "warden_session_cache";

    /// <summary>The listening connection's application_name (unless the DSN sets one).</summary>
    public const string ConnectionName = "warden-session-feed";

    // A silently dropped connection delivers nothing and raises nothing, so the listener's socket has TCP
    // keepalive: the kernel probes the idle connection after KeepAliveIdleSeconds, every KeepAliveProbeSeconds,
    // and a path that stops answering fails the pending wait (about 11 s with Linux' default of 9 probes). The
    // loop vouches for the feed every VouchEvery while that wait is pending. Nothing runs in the process while
    // the database is quiet: Npgsql's own keepalive (a query whose every round ends in a timeout exception,
    // caught inside Npgsql) made an idle server compile and keep 1.2 MB of code for it within a minute.
    // What TCP cannot see is a backend that stops delivering while its socket lives (a stopped process); a
    // database in that state serves no one's writes either.
    private const int KeepAliveIdleSeconds = 2;
    private const int KeepAliveProbeSeconds = 1;
    private static readonly TimeSpan VouchEvery = TimeSpan.FromSeconds(5);

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Its own unpooled connection: a pooled one would go back to the pool still listening (Warden's
                // pool skips the reset on return), and this one is held for the process's lifetime anyway.
                await using var c = await db.Postgres!.OpenDedicatedAsync(ConnectionName, KeepAliveIdleSeconds, KeepAliveProbeSeconds, ct);
                c.Notification += OnNotification;
                await c.ExecuteAsync("LISTEN " + Channel);
                Resumed();
                await ListenAsync(c, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Lost(e);
                await DelayAsync(RetryDelay, ct);
            }
        }
    }

    /// <summary>
    /// One wait for notifications and one vouch timer stay pending across each other's turns: a timer, not a timeout
    /// of the wait, marks each vouch (Npgsql ends a timed-out wait with an exception), and a burst of notifications
    /// neither starts timers nor prunes the quarantine once per notification. Returns when stopped, throws when the
    /// connection fails.
    /// </summary>
    private async Task ListenAsync(NpgsqlConnection c, CancellationToken ct)
    {
        var wait = c.WaitAsync(ct);
        var vouch = Task.CompletedTask;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (vouch.IsCompleted)
                {
                    // Vouch beyond the next one, so the cache keeps serving until then.
                    cache.FeedCurrentUntil(Environment.TickCount64 + 2 * (long)VouchEvery.TotalMilliseconds);
                    cache.PruneQuarantine();
                    vouch = Task.Delay(VouchEvery, ct);
                }
                if (await Task.WhenAny(wait, vouch) != wait) continue;
                await wait; // a notification was handled (OnNotification), or the connection failed: throws
                wait = c.WaitAsync(ct);
            }
        }
        finally
        {
            // Stopping cancels the pending wait; it must end before the connection is disposed.
            await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (Guid.TryParse(e.Payload, out var id)) cache.EvictIdentity(id, local: false);
        else cache.Clear();
    }
}
