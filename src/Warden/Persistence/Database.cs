using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Warden.Persistence;

/// <summary>
/// The connection factory every store uses. Stores write dialect-neutral SQL where they can and branch on
/// <see cref="Dialect"/> where the databases differ (upserts, row locking).
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly PostgresPool? _postgres;
    private readonly IAsyncDisposable? _keepAlive; // SQLite in memory: the connection that keeps the database
    private readonly SqliteWriteGate? _writeGate;
    private readonly SqlitePool? _sqlite;

    public Database(Dsn dsn)
    {
        Dsn = dsn;
        if (dsn.Dialect == Dialect.Postgres)
        {
            _postgres = new PostgresPool(dsn.ConnectionString);
        }
        else
        {
            (_sqlite, _writeGate, _keepAlive) = OpenSqlite(dsn);
        }
    }

    // Its own method, not inlined: compiling a method loads the assemblies of the types it uses, and a PostgreSQL
    // deployment then never loads Microsoft.Data.Sqlite nor the native SQLite library and its bindings (0.6 MB of
    // idle RSS measured for the native part).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (SqlitePool, SqliteWriteGate, IAsyncDisposable?) OpenSqlite(Dsn dsn)
    {
        SqliteNative.EnsureLoaded();
        SqliteConnection? keepAlive = null;
        if (dsn.InMemory)
        {
            // The shared in-memory database disappears with its last connection; hold one open.
            keepAlive = new SqliteConnection(dsn.ConnectionString);
            keepAlive.Open();
        }
        else
        {
            using var c = new SqliteConnection(dsn.ConnectionString);
            c.Open();
            using var cmd = c.CreateCommand();
            // WAL lets readers proceed while one writer commits. WAL is a property of the file; synchronous
            // and busy_timeout belong to each connection and are set in OpenAsync.
            cmd.CommandText = "PRAGMA journal_mode=WAL;";
            cmd.ExecuteNonQuery();
        }
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(new SqliteConnectionStringBuilder(dsn.ConnectionString).DefaultTimeout));
        return (new SqlitePool(dsn.ConnectionString), gate, keepAlive);
    }

    public Dsn Dsn { get; }

    /// <summary>SQLite only: the open connections and their prepared statements (for tests).</summary>
    internal SqlitePool? Sqlite => _sqlite;

    /// <summary>PostgreSQL only: the pool, for the one caller that needs a connection of its own.</summary>
    internal PostgresPool? Postgres => _postgres;

    /// <summary>What this process changed, for in-process caches (see <see cref="ChangeSignals"/>).</summary>
    public ChangeSignals Changes { get; } = new();
    public Dialect Dialect => Dsn.Dialect;

    /// <summary>The single tenant of an open-source deployment; every row carries it (multi-tenant ready).</summary>
    public static readonly Guid DefaultNetworkId = Guid.Parse("00000000-0000-4000-8000-000000000001");

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null) return await _postgres.OpenAsync(ct);
        return await _sqlite!.RentAsync(ct);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction. On SQLite it first takes the in-process write gate, then
    /// BEGIN IMMEDIATE: writers queue without holding a thread instead of colliding on the database lock.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        using var turn = _writeGate is null ? default : await _writeGate.EnterAsync(ct);
        await using var c = await OpenAsync(ct);
        await using var tx = c is SqliteSession s ? s.BeginImmediate() : await c.BeginTransactionAsync(ct);
        T result;
        try
        {
            result = await work(c, tx);
            await tx.CommitAsync(ct);
        }
        catch
        {
            TakeAfterCommit(tx); // rolled back: what it queued never happened
            throw;
        }
        if (TakeAfterCommit(tx) is { } actions)
            foreach (var action in actions) action();
        return result;
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction <paramref name="tx"/> (one of <see cref="InTransactionAsync{T}"/>'s)
    /// has committed, and never if it rolls back: for telling other threads about rows they can only see after the
    /// commit (the courier's wake-up for a message queued inside a flow's transaction). It runs on the committing
    /// thread and must not throw: the transaction has committed, and an exception would tell the caller it failed.
    /// </summary>
    public void AfterCommit(DbTransaction tx, Action action)
    {
        // A transaction is used by one flow of control at a time, so its list needs no lock.
        _afterCommit.GetValue(tx, _ =>
        {
            Interlocked.Increment(ref _afterCommitPending);
            return [];
        }).Add(action);
    }

    // Keyed by the transaction object (drivers reuse them, so entries are taken out when their transaction ends);
    // the counter spares every other transaction the table's lookup.
    private readonly ConditionalWeakTable<DbTransaction, List<Action>> _afterCommit = new();
    private int _afterCommitPending;

    private List<Action>? TakeAfterCommit(DbTransaction tx)
    {
        if (Volatile.Read(ref _afterCommitPending) == 0 || !_afterCommit.TryGetValue(tx, out var actions)) return null;
        _afterCommit.Remove(tx);
        Interlocked.Decrement(ref _afterCommitPending);
        return actions;
    }

    /// <summary>
    /// Runs one autocommit write (a single INSERT/UPDATE/DELETE). On SQLite it holds the write gate like
    /// <see cref="InTransactionAsync{T}"/>, so it never meets another of Warden's writers at the database lock.
    /// Reads use <see cref="OpenAsync"/> and never wait for the gate (WAL readers do not block on writers).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default)
    {
        using var turn = _writeGate is null ? default : await _writeGate.EnterAsync(ct);
        await using var c = await OpenAsync(ct);
        return await work(c);
    }

    /// <summary>One autocommit statement through <see cref="WriteAsync{T}"/>; the number of rows it changed.</summary>
    public Task<int> WriteAsync(string sql, object? param, CancellationToken ct = default) =>
        WriteAsync(c => c.ExecuteAsync(new SqlStatement(sql, param, cancellationToken: ct)), ct);

    /// <summary>
    /// Runs <paramref name="batch"/> so that all of it or none of it happens. PostgreSQL: one round trip and no
    /// BEGIN/COMMIT of ours (a batch is one implicit transaction there), where a transaction would add the
    /// COMMIT's round trip. SQLite: behind the write gate, in a transaction like <see cref="InTransactionAsync{T}"/>
    /// when there is more than one statement.
    /// </summary>
    public async Task<int> AtomicAsync(SqlBatch batch, CancellationToken ct = default)
    {
        if (_postgres is null)
            // One statement is atomic on its own; more need the transaction.
            return batch.Count == 1
                ? await WriteAsync(c => batch.ExecuteAsync(c, null, ct), ct)
                : await InTransactionAsync((c, tx) => batch.ExecuteAsync(c, tx, ct), ct);
        await using var c = await OpenAsync(ct);
        return await batch.ExecuteAsync(c, null, ct);
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        InTransactionAsync<int>(async (c, tx) => { await work(c, tx); return 0; }, ct);

    /// <summary>
    /// True when the exception says the database could not take the work right now rather than that the work was
    /// wrong: PostgreSQL unreachable, restarting, out of connections or the pool exhausted; SQLite busy, locked, or
    /// its file unreadable, unwritable or full. The same request may succeed later, so it is a 503, not a 500.
    /// </summary>
    public static bool IsUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
            if (x is SqliteException s) return s.SqliteErrorCode is 5 or 6 or 10 or 13 or 14;
            // Only a driver exception reaches PostgresPool, so a SQLite deployment still never maps Npgsql.
            if (x is DbException && PostgresPool.IsUnavailable(x)) return true;
        }
        return false;
    }

    /// <summary>True when the exception is a unique-constraint violation on either database.</summary>
    public static bool IsUniqueViolation(Exception e) => e is SqliteException s
        ? s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555
        : e is DbException && PostgresPool.IsUniqueViolation(e);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_sqlite is not null) await _sqlite.DisposeAsync();
        if (_keepAlive is not null) await _keepAlive.DisposeAsync();
    }
}
