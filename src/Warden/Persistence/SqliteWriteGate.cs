using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Warden.Persistence;

/// <summary>
/// SQLite allows one writer at a time. Without this gate concurrent writers meet at the database lock, and
/// Microsoft.Data.Sqlite 6 answers SQLITE_BUSY by putting the thread to sleep for 150 ms per retry
/// (<c>Thread.Sleep</c> in its command loop): under a handful of concurrent logins that showed up as
/// p99 latencies over a second and half the throughput. Writers of this process therefore queue here,
/// asynchronously and in arrival order, and reach SQLite one at a time.
/// </summary>
internal sealed class SqliteWriteGate(TimeSpan timeout)
{
    /// <summary>SQLite's own busy handler waits at most this long (for writers outside the gate: other processes,
    /// autocommit writes of stores that do not use the gate); it backs off in short steps, not 150 ms sleeps.</summary>
    private const int BusyTimeoutMs = 30_000;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask<Turn> EnterAsync(CancellationToken ct)
    {
        // Same limit and same error as a lock SQLite itself would not grant, so callers see no new failure mode
        // (a writer nested inside another writer's transaction fails as before instead of hanging).
        if (!await _gate.WaitAsync(timeout, ct).ConfigureAwait(false))
            throw new SqliteException("database is locked (waited for another writer of this process)", raw.SQLITE_BUSY);
        return new Turn(_gate);
    }

    /// <summary>
    /// Gives the connection SQLite's busy handler. busy_timeout belongs to the native connection, which the pool
    /// recycles, so it is set on every open; it is one native call (no statement to prepare).
    /// </summary>
    public static void WaitInSqlite(SqliteConnection c) => raw.sqlite3_busy_timeout(c.Handle, BusyTimeoutMs);

    /// <summary>Holding the gate; <c>default</c> holds nothing (PostgreSQL needs no gate).</summary>
    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
