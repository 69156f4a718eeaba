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
    /// Per-connection settings, applied once when <see cref="SqlitePool"/> opens a connection, because they belong
    /// to the native connection, not to the file:
    /// <list type="bullet">
    /// <item>SQLite's busy handler (one native call, no statement to prepare);</item>
    /// <item><c>synchronous=NORMAL</c>: in WAL mode a commit then survives a crash of the process and the file
    /// is never corrupted; only a power loss can take back the last commits before a checkpoint. At the
    /// default (FULL) every commit waits for an fsync. Setting it only at startup, as before, left every other
    /// pooled connection at FULL.</item>
    /// <item><c>mmap_size</c> (<see cref="MmapBytes"/>): the connection reads the database file through a memory map.
    /// Without it every page it needs comes from a seek plus a read() call (the bundled SQLite has no pread), and a
    /// connection needs many: in WAL mode it drops its whole page cache whenever another connection has committed.
    /// A mapped page also stays in memory on hosts that reclaim idle file cache early (this benchmark machine pages
    /// out unmapped file pages after about 30 s; mapped ones are exempt), where an unmapped B-tree leaf comes back
    /// from disk while the request waits. The price is SQLite's documented one: an I/O error while reading a mapped
    /// page ends the process (SIGBUS) instead of failing one statement, which only a failing disk can cause. Writes
    /// still go through write(), so durability is unchanged.</item>
    /// </list>
    /// </summary>
    public static void Configure(SqliteConnection c)
    {
        raw.sqlite3_busy_timeout(c.Handle, BusyTimeoutMs);
        Set(c, "synchronous", "NORMAL");
        Set(c, "mmap_size", MmapBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void Set(SqliteConnection c, string pragma, string value)
    {
        if (raw.sqlite3_exec(c.Handle, $"PRAGMA {pragma}={value}") != raw.SQLITE_OK)
            throw new SqliteException($"could not set PRAGMA {pragma}", raw.sqlite3_errcode(c.Handle));
    }

    /// <summary>
    /// How much of the file a connection maps: 1 GiB of address space (SQLite caps it at 2 GiB; beyond the mapped
    /// part it reads as before). Address space only: what counts in memory is the pages actually read, and those are
    /// the kernel's page cache, shared by every connection, not a copy per connection.
    /// </summary>
    internal const long MmapBytes = 1L << 30;

    /// <summary>Holding the gate; <c>default</c> holds nothing (PostgreSQL needs no gate).</summary>
    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
