using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Warden.Persistence;

namespace Warden.Sessions.Cache;

/// <summary>
/// Tells the <see cref="SessionCache"/> which identities other processes (other Warden instances, SQL by hand)
/// changed, from the triggers of migration 0006: PostgreSQL notifies on commit (LISTEN, this file's
/// Postgres part), SQLite logs to a table this process polls. While the feed is down the cache serves nothing,
/// and after an interruption it starts empty, because changes made meanwhile cannot be known.
/// </summary>
internal sealed partial class SessionChangeFeed(SessionCache cache, Database db, SessionCacheOptions options, ILogger<SessionChangeFeed> log)
    : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private bool _warned;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled) return Task.CompletedTask;
        var token = _stop.Token;
        _loop = Task.Run(() => db.Dialect == Dialect.Postgres ? ListenLoopAsync(token) : PollLoopAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        cache.FeedLost();
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The feed broke: stop serving from the cache and say so once per outage (no connection details).</summary>
    private void Lost(Exception e)
    {
        cache.FeedLost();
        if (_warned) return;
        _warned = true;
        log.LogWarning("Session cache paused: the database change feed failed ({Error}); whoami reads the database until it is back.",
            e.GetType().Name);
    }

    /// <summary>The feed works (again): anything cached before an outage may have missed changes.</summary>
    private void Resumed()
    {
        cache.Clear();
        if (!_warned) return;
        _warned = false;
        log.LogInformation("Session cache resumed: the database change feed is back.");
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct) =>
        await Task.Delay(delay, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stop.Dispose();
    }
}
