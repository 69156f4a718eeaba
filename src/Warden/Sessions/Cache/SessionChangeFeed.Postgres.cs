using Warden.Persistence;
using Npgsql;

namespace Warden.Sessions.Cache;

/// <summary>PostgreSQL: LISTEN on the channel the triggers notify; notifications arrive only for committed changes.</summary>
internal sealed partial class SessionChangeFeed
{
    public const string Channel = "warden_session_cache";

    // A silently dropped connection delivers nothing and raises nothing: ping it this often.
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(5);

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Its own unpooled connection: a pooled one would go back to the pool still listening (Warden's
                // pool skips the reset on return), and this one is held for the process's lifetime anyway.
                await using var c = await db.Postgres!.OpenDedicatedAsync(ct);
                c.Notification += OnNotification;
                await c.ExecuteAsync("LISTEN " + Channel);
                Resumed();
                while (!ct.IsCancellationRequested)
                {
                    // Vouch a little beyond the next ping, so the cache keeps serving between pings.
                    cache.FeedCurrentUntil(Environment.TickCount64 + 2 * (long)PingEvery.TotalMilliseconds);
                    cache.PruneQuarantine();
                    if (!await c.WaitAsync(PingEvery, ct)) await c.ExecuteScalarAsync<int>("SELECT 1");
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
