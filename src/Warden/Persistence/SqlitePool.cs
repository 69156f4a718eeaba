using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Warden.Persistence;

/// <summary>
/// Open SQLite connections of one database, each with its prepared statements (<see cref="SqliteSession"/>).
/// Last in, first out, so the connection lent next is the one whose pages and statements were used last.
/// Per-connection settings (<see cref="SqliteWriteGate.Configure"/>) are applied once, when a connection opens,
/// instead of on every use. At most <see cref="MaxIdle"/> connections wait here; one more is closed when given back.
/// </summary>
internal sealed class SqlitePool(string connectionString) : IAsyncDisposable
{
    internal static readonly int MaxIdle = Math.Max(8, 4 * Environment.ProcessorCount);

    private readonly ConcurrentStack<SqliteSession> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>Connections waiting to be lent (for tests).</summary>
    internal int Idle => Volatile.Read(ref _idleCount);

    public async Task<SqliteSession> RentAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryPop(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle.Lend();
        }
        var c = new SqliteConnection(connectionString);
        try
        {
            await c.OpenAsync(ct);
            SqliteWriteGate.Configure(c);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
        return new SqliteSession(this, c).Lend();
    }

    internal void Return(SqliteSession session)
    {
        // A connection left inside a transaction (its user failed between BEGIN and the rollback), with a command
        // not given back, or closed is not lent again (SqliteSession.Reusable); neither is one beyond the idle limit
        // or after the pool was disposed.
        if (_disposed || !session.Reusable)
        {
            session.Destroy();
            return;
        }
        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            session.Destroy();
            return;
        }
        _idle.Push(session);
        // Disposed while this one was being pushed: make sure it is closed too.
        if (_disposed) Drain();
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        Drain();
        return ValueTask.CompletedTask;
    }

    private void Drain()
    {
        while (_idle.TryPop(out var s))
        {
            Interlocked.Decrement(ref _idleCount);
            s.Destroy();
        }
    }
}
