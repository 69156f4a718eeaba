using Warden.Config;

namespace Warden.Hashing;

/// <summary>
/// <c>warden.hashing.batch</c>: under load, hash in batches and let the requests around them run in batches too.
/// A hash thread with work queued first waits until no other request is in progress (<see cref="RequestGauge"/>,
/// at most <see cref="SettleFor"/>), then runs the queued hashes back to back and releases their callers together.
/// <para>
/// Why: on a saturated core the hash of one login and the work around the next (HTTP, JSON, the database's own
/// processes) took turns, and a 19 MiB argon2 hash evicts everything from the core's caches, so every piece of
/// request work ran cold: 2.2-2.4 ms of CPU per login beside the hash against 0.9 ms when hashes are tiny. In
/// batches, the first request after a batch runs cold and the rest of its cohort finds the code and data warm.
/// The price is latency, not throughput: a caller waits for the rest of its batch (at most <see cref="MaxHold"/>)
/// and a batch waits for request work to settle (at most <see cref="SettleFor"/>; only on a core busy with
/// something else, whose work is then served first). With the database on another machine, requests waiting for
/// it count as in progress while the core could hash, so <c>auto</c> batches only beside a local database.
/// </para>
/// </summary>
internal sealed class HashBatching
{
    /// <summary>By default, never hold finished hashes longer than this for the rest of their batch.</summary>
    public static readonly TimeSpan DefaultMaxHold = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait for request work to settle before a batch, whatever the hash costs.</summary>
    public static readonly TimeSpan MaxSettle = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long the server must stay quiet before a batch starts (see <see cref="RequestGauge.WaitQuiet"/>), to bridge
    /// the gap between a response and the same client's next request. Measured with the benchmark's clients on the
    /// same machine: 91.2-91.9 % of the server's CPU in the hash with it (six runs), 90.6-91.4 % without (two).
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(1);

    public const int MaxBatch = 8;

    private long _lastHashTicks;

    private HashBatching(RequestGauge? gauge, TimeSpan maxHold)
    {
        Gauge = gauge;
        MaxHold = maxHold;
    }

    public static HashBatching Off { get; } = new(null, TimeSpan.Zero);

    public static HashBatching On(RequestGauge gauge, TimeSpan? maxHold = null) => new(gauge, maxHold ?? DefaultMaxHold);

    /// <summary>No more hashes join a batch once it has run this long.</summary>
    public TimeSpan MaxHold { get; }

    /// <summary>The requests counted; null when batching is off.</summary>
    public RequestGauge? Gauge { get; }

    public bool Active => Gauge is not null;

    /// <summary>Half the last hash, at most <see cref="MaxSettle"/>: waiting longer would cost more than the cold start it saves.</summary>
    public TimeSpan SettleFor
    {
        get
        {
            var half = TimeSpan.FromTicks(Volatile.Read(ref _lastHashTicks) / 2);
            return half < MaxSettle ? half : MaxSettle;
        }
    }

    public void Observed(TimeSpan hash) => Volatile.Write(ref _lastHashTicks, hash.Ticks);

    /// <summary>
    /// Whether the database runs on this machine: SQLite (in the process), or PostgreSQL on a loopback address or
    /// behind a Unix socket (<c>?host=/run/postgresql</c>). Anything else counts as remote, where batching could
    /// leave the core idle while requests wait for it.
    /// </summary>
    internal static bool DatabaseIsLocal(string dsn)
    {
        dsn = dsn.Trim();
        if (Persistence.Dsn.NamesSqlite(dsn)) return true;
        string host;
        try
        {
            host = Persistence.Dsn.PostgresHost(dsn);
        }
        catch (Exception e) when (e is ConfigException or ArgumentException or FormatException)
        {
            return false;
        }
        // A socket directory, or Linux's abstract namespace; else a loopback name or address.
        return host.StartsWith('/') || host.StartsWith('@') || HostNames.IsLoopback(host);
    }
}
