using System.Data.Common;

namespace Warden.Persistence;

/// <summary>
/// Write statements that belong together, sent as one: on PostgreSQL a <see cref="DbBatch"/>, i.e. one round
/// trip for all of them, on SQLite one command after the other (an in-process database has no round trip to
/// save, and Microsoft.Data.Sqlite 6 has no batches). Each statement may name how its failure reads to the
/// caller (<c>onError</c>), so a batch still says which row was refused, e.g. which identifier is taken.
/// Run it inside a transaction (<see cref="ExecuteAsync"/>) or as its own atomic unit (<see cref="Database.AtomicAsync"/>).
/// </summary>
public sealed class SqlBatch
{
    private readonly List<Entry> _entries = [];

    private sealed record Entry(string Sql, object? Parameters, Func<Exception, Exception?>? OnError);

    public int Count => _entries.Count;

    /// <param name="onError">Given this statement's exception: the exception to throw instead, or null to let it through.</param>
    public SqlBatch Add(string sql, object? parameters = null, Func<Exception, Exception?>? onError = null)
    {
        _entries.Add(new Entry(sql, parameters, onError));
        return this;
    }

    /// <summary>Runs every statement on <paramref name="c"/> (in <paramref name="tx"/> when given); the rows they changed.</summary>
    public async Task<int> ExecuteAsync(DbConnection c, DbTransaction? tx, CancellationToken ct = default)
    {
        if (_entries.Count == 0) return 0;
        if (!c.CanCreateBatch)
        {
            var rows = 0;
            foreach (var e in _entries)
            {
                try
                {
                    rows += await c.ExecuteAsync(new SqlStatement(e.Sql, e.Parameters, tx, ct));
                }
                catch (Exception ex) when (e.OnError?.Invoke(ex) is { } replaced)
                {
                    throw replaced;
                }
            }
            return rows;
        }
        await using var batch = c.CreateBatch();
        batch.Transaction = tx;
        foreach (var e in _entries)
        {
            var cmd = batch.CreateBatchCommand();
            cmd.CommandText = e.Sql;
            ParameterBinder.Bind(cmd, e.Parameters);
            batch.BatchCommands.Add(cmd);
        }
        try
        {
            return await batch.ExecuteNonQueryAsync(ct);
        }
        // Without an explicit transaction the database rolled the whole batch back (Npgsql's default: one Sync
        // for all statements); with one, the caller's transaction is failed and will not commit.
        catch (DbException ex) when (Failed(batch)?.OnError?.Invoke(ex) is { } replaced)
        {
            throw replaced;
        }
    }

    /// <summary>
    /// The statement the database refused: the first one without a completion. (Npgsql names it on the exception
    /// only with IncludeFailedBatchedCommand, which also hands every parameter, e.g. a password hash, to whoever
    /// logs the exception; Warden leaves that off.)
    /// </summary>
    private Entry? Failed(DbBatch batch)
    {
        for (var i = 0; i < batch.BatchCommands.Count; i++)
            if (!PostgresPool.Completed(batch.BatchCommands[i])) return _entries[i];
        return null;
    }
}
