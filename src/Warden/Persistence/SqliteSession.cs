using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Warden.Persistence;

/// <summary>
/// One open SQLite connection of <see cref="SqlitePool"/>, lent to one caller at a time, with the commands it has
/// prepared. Microsoft.Data.Sqlite 6 keeps a command's compiled statements only as long as that command object
/// lives on an open connection, and its pool closes commands with the connection, so every statement was parsed
/// and planned anew on each use (about a third of SQLite's time in a login, by <c>perf</c>). Here a connection stays
/// open while it is pooled and keeps one command per SQL text; reusing it only rebinds the parameters.
/// Disposing the session gives it back to the pool instead of closing it.
/// </summary>
internal sealed class SqliteSession : DbConnection
{
    /// <summary>Statements kept per connection; SQL texts beyond it (IN lists of many lengths) are prepared each time.</summary>
    internal const int MaxCachedCommands = 128;

    private readonly SqlitePool _pool;
    private readonly Dictionary<string, Cached> _commands = new(StringComparer.Ordinal);
    private readonly SqliteCommand _scratch;
    private bool _lent;
    private int _leased;

    internal SqliteSession(SqlitePool pool, SqliteConnection inner)
    {
        _pool = pool;
        Inner = inner;
        // Never executed: ParameterBinder binds into it to learn the final SQL text (list parameters expand it).
        _scratch = inner.CreateCommand();
    }

    public SqliteConnection Inner { get; }

    /// <summary>
    /// BEGIN IMMEDIATE: takes the database's write lock now rather than at the first write, so a transaction never
    /// fails halfway on a lock another connection took meanwhile. Here rather than in Database, whose
    /// transaction code also runs on PostgreSQL, which then has no reason to load Microsoft.Data.Sqlite.
    /// </summary>
    public DbTransaction BeginImmediate() => Inner.BeginTransaction(deferred: false);

    /// <summary>Statements this connection keeps (for tests).</summary>
    internal int CachedCommands => _commands.Count;

    internal SqliteSession Lend()
    {
        _lent = true;
        return this;
    }

    /// <summary>
    /// A command for <paramref name="s"/> with its parameters bound: the connection's own prepared command for that
    /// SQL text when it is free, otherwise a new one the caller owns (<see cref="CommandLease"/> tells them apart).
    /// </summary>
    internal CommandLease Command(SqlStatement s)
    {
        // Everything that can throw comes before a cached command is marked in use.
        var tx = (SqliteTransaction?)s.Transaction;
        _scratch.Parameters.Clear();
        _scratch.CommandText = s.CommandText;
        ParameterBinder.Bind(_scratch, s.Parameters, sqlite: true);
        var sql = _scratch.CommandText;
        SqliteCommand cmd;
        Cached? cached = null;
        if (_commands.TryGetValue(sql, out var found) && !found.InUse) cached = found;
        else if (found is null && _commands.Count < MaxCachedCommands)
        {
            var created = Inner.CreateCommand();
            created.CommandText = sql;
            _commands[sql] = cached = new Cached(created);
        }
        if (cached is not null)
        {
            cached.InUse = true;
            cmd = cached.Command;
            cmd.Parameters.Clear();
        }
        else
        {
            // The same SQL already running on this connection (a reader still open), or the cache is full.
            cmd = Inner.CreateCommand();
            cmd.CommandText = sql;
        }
        foreach (SqliteParameter p in _scratch.Parameters) cmd.Parameters.Add(p);
        _scratch.Parameters.Clear();
        cmd.Transaction = tx;
        _leased++;
        return new CommandLease(cmd, cached, this);
    }

    internal sealed class Cached(SqliteCommand command)
    {
        public SqliteCommand Command { get; } = command;
        public bool InUse { get; set; }
    }

    // DbConnection: the session is always open while lent; the transaction and commands are the inner connection's.
#pragma warning disable CS8765 // the setter refuses every value
    public override string ConnectionString
    {
        get => Inner.ConnectionString;
        set => throw new NotSupportedException("a pooled SQLite connection keeps its connection string");
    }
#pragma warning restore CS8765
    public override string Database => Inner.Database;
    public override string DataSource => Inner.DataSource;
    public override string ServerVersion => Inner.ServerVersion;
    public override ConnectionState State => _lent ? Inner.State : ConnectionState.Closed;
    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException("SQLite has one database per connection");
    public override void Open() { }
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => Inner.BeginTransaction(isolationLevel);
    protected override DbCommand CreateDbCommand() => Inner.CreateCommand();

    /// <summary>Back to the pool (closing a lent session is giving it back).</summary>
    public override void Close()
    {
        if (!_lent) return;
        _lent = false;
        _pool.Return(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
    }

    public override ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the native connection for good (pool full, broken, or the pool disposed).</summary>
    internal void Destroy()
    {
        foreach (var c in _commands.Values) c.Command.Dispose();
        _commands.Clear();
        _scratch.Dispose();
        Inner.Dispose();
    }

    /// <summary>
    /// True when the connection can be lent again: open, no transaction left behind by its last user, and every
    /// command it lent given back (a reader never disposed keeps its statement stepping and so a read transaction
    /// open: later reads would see old data and WAL checkpoints could not pass it).
    /// </summary>
    internal bool Reusable =>
        _leased == 0 && Inner.State == ConnectionState.Open && Inner.Handle is { } h && SQLitePCL.raw.sqlite3_get_autocommit(h) != 0;

    internal void Released() => _leased--;
}

/// <summary>A command from <see cref="SqliteSession.Command"/> or a plain one; disposing gives back or disposes it.</summary>
internal readonly struct CommandLease(DbCommand command, SqliteSession.Cached? cached, SqliteSession? session = null) : IAsyncDisposable, IDisposable
{
    public DbCommand Command { get; } = command;

    public ValueTask DisposeAsync() => GiveBack() ? ValueTask.CompletedTask : Command.DisposeAsync();

    public void Dispose()
    {
        if (!GiveBack()) Command.Dispose();
    }

    /// <summary>Ends the lease on the session; true when the command is the session's to keep (not to dispose).</summary>
    private bool GiveBack()
    {
        session?.Released();
        if (cached is null) return false;
        Command.Parameters.Clear();
        Command.Transaction = null;
        cached.InUse = false;
        return true;
    }
}
