using System.Data.Common;

namespace Warden.Persistence;

/// <summary>
/// The SQL verbs every store uses, on an open connection: run a statement, read rows as T (see
/// <see cref="RowMapper"/>), read one value, or read several result sets of one command (one round trip).
/// Warden's own, instead of Dapper: Dapper's static initializer and its dynamic rows load the XML, DataTable
/// and expression-tree assemblies, which cost ~4 MB of idle memory in a server that uses none of them.
/// </summary>
public static class SqlCommands
{
    public static Task<int> ExecuteAsync(this DbConnection c, string sql, object? param = null, DbTransaction? transaction = null) =>
        c.ExecuteAsync(new SqlStatement(sql, param, transaction));

    public static async Task<int> ExecuteAsync(this DbConnection c, SqlStatement s)
    {
        await using var lease = Create(c, s);
        return await lease.Command.ExecuteNonQueryAsync(s.CancellationToken);
    }

    public static Task<T?> ExecuteScalarAsync<T>(this DbConnection c, string sql, object? param = null, DbTransaction? transaction = null) =>
        c.ExecuteScalarAsync<T>(new SqlStatement(sql, param, transaction));

    public static async Task<T?> ExecuteScalarAsync<T>(this DbConnection c, SqlStatement s)
    {
        await using var lease = Create(c, s);
        var value = await lease.Command.ExecuteScalarAsync(s.CancellationToken);
        return value is null or DBNull ? default : TypedValue<T>.From(value);
    }

    public static Task<IReadOnlyList<T>> QueryAsync<T>(this DbConnection c, string sql, object? param = null, DbTransaction? transaction = null) =>
        c.QueryAsync<T>(new SqlStatement(sql, param, transaction));

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this DbConnection c, SqlStatement s)
    {
        await using var lease = Create(c, s);
        await using var reader = await lease.Command.ExecuteReaderAsync(s.CancellationToken);
        return await ReadAllAsync<T>(reader, s.CancellationToken);
    }

    /// <summary>The first row, or default when there is none.</summary>
    public static async Task<T?> QueryFirstOrDefaultAsync<T>(this DbConnection c, SqlStatement s)
    {
        var (found, row, _) = await ReadFirstAsync<T>(c, s, checkMore: false);
        return found ? row : default;
    }

    /// <summary>The only row, or default when there is none; more than one row is an error.</summary>
    public static async Task<T?> QuerySingleOrDefaultAsync<T>(this DbConnection c, SqlStatement s)
    {
        var (found, row, more) = await ReadFirstAsync<T>(c, s, checkMore: true);
        if (more) throw new InvalidOperationException("the query returned more than one row");
        return found ? row : default;
    }

    public static Task<T?> QuerySingleOrDefaultAsync<T>(this DbConnection c, string sql, object? param = null, DbTransaction? transaction = null) =>
        c.QuerySingleOrDefaultAsync<T>(new SqlStatement(sql, param, transaction));

    /// <summary>The only row; none or more than one is an error.</summary>
    public static async Task<T> QuerySingleAsync<T>(this DbConnection c, SqlStatement s)
    {
        var (found, row, more) = await ReadFirstAsync<T>(c, s, checkMore: true);
        if (!found || more) throw new InvalidOperationException(found ? "the query returned more than one row" : "the query returned no row");
        return row!;
    }

    public static Task<T> QuerySingleAsync<T>(this DbConnection c, string sql, object? param = null, DbTransaction? transaction = null) =>
        c.QuerySingleAsync<T>(new SqlStatement(sql, param, transaction));

    /// <summary>Runs a command of several SELECTs; read each result set in order from the returned reader.</summary>
    public static async Task<SqlResultSets> QueryMultipleAsync(this DbConnection c, SqlStatement s)
    {
        var lease = Create(c, s);
        try
        {
            return new SqlResultSets(lease, await lease.Command.ExecuteReaderAsync(s.CancellationToken), s.CancellationToken);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    internal static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbDataReader reader, CancellationToken ct)
    {
        var list = new List<T>();
        var map = RowMapper.For(typeof(T), reader);
        while (await reader.ReadAsync(ct)) list.Add((T)map(reader)!);
        return list;
    }

    /// <summary>The first row, and (only when <paramref name="checkMore"/>) whether another follows it.</summary>
    private static async Task<(bool Found, T? Row, bool More)> ReadFirstAsync<T>(DbConnection c, SqlStatement s, bool checkMore)
    {
        await using var lease = Create(c, s);
        await using var reader = await lease.Command.ExecuteReaderAsync(s.CancellationToken);
        if (!await reader.ReadAsync(s.CancellationToken)) return (false, default, false);
        var row = (T?)RowMapper.For(typeof(T), reader)(reader);
        return (true, row, checkMore && await reader.ReadAsync(s.CancellationToken));
    }

    /// <summary>A pooled SQLite connection's prepared command, or a new command (PostgreSQL, which prepares on its own).</summary>
    private static CommandLease Create(DbConnection c, SqlStatement s)
    {
        if (c is SqliteSession session) return session.Command(s);
        var cmd = c.CreateCommand();
        cmd.CommandText = s.CommandText;
        cmd.Transaction = s.Transaction;
        ParameterBinder.Bind(cmd, s.Parameters, sqlite: false); // every SQLite connection is a SqliteSession
        return new CommandLease(cmd, null);
    }
}

/// <summary>The result sets of one command, read in order with <see cref="ReadAsync{T}"/>.</summary>
public sealed class SqlResultSets : IAsyncDisposable, IDisposable
{
    private readonly CommandLease _lease;
    private readonly DbDataReader _reader;
    private readonly CancellationToken _ct;
    private bool _started;

    internal SqlResultSets(CommandLease lease, DbDataReader reader, CancellationToken ct)
    {
        _lease = lease;
        _reader = reader;
        _ct = ct;
    }

    public async Task<IReadOnlyList<T>> ReadAsync<T>()
    {
        if (_started && !await _reader.NextResultAsync(_ct)) throw new InvalidOperationException("no more result sets");
        _started = true;
        return await SqlCommands.ReadAllAsync<T>(_reader, _ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _lease.DisposeAsync();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _lease.Dispose();
    }
}
