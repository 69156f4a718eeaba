using System.Data.Common;
using Microsoft.Data.Sqlite;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>
/// SQLite connections stay open in Warden's own pool with the statements they prepared (SqliteSession). What must
/// hold: a statement is prepared once per connection and reused, a failed statement can run again, a connection
/// given back inside a transaction is not lent again, the same SQL can run while its first reader is open, and
/// texts beyond the cache's limit still run.
/// </summary>
public sealed class SqlitePoolTests
{
    private static async Task<Database> ProbeAsync()
    {
        var db = await TestDb.CreateAsync("sqlite");
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE probe (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
        return db;
    }

    [Fact]
    public async Task A_statement_is_prepared_once_and_its_connection_lent_again()
    {
        await using var db = await ProbeAsync();
        SqliteSession first;
        await using (var c = await db.OpenAsync())
        {
            first = Assert.IsType<SqliteSession>(c);
            await c.ExecuteAsync("INSERT INTO probe (id, name) VALUES (@id, @name)", new { id = 1, name = "a" });
        }
        Assert.Equal(1, db.Sqlite!.Idle);
        await using (var c = await db.OpenAsync())
        {
            // Last in, first out: the connection just given back, with the INSERT still prepared.
            Assert.Same(first, c);
            var cached = first.CachedCommands;
            await c.ExecuteAsync("INSERT INTO probe (id, name) VALUES (@id, @name)", new { id = 2, name = "b" });
            Assert.Equal(cached, first.CachedCommands);
            Assert.Equal(new[] { "a", "b" }, await c.QueryAsync<string>("SELECT name FROM probe ORDER BY id"));
        }
    }

    [Fact]
    public async Task A_statement_that_failed_runs_again_with_new_values()
    {
        await using var db = await ProbeAsync();
        await using var c = await db.OpenAsync();
        const string insert = "INSERT INTO probe (id, name) VALUES (@id, @name)";
        await c.ExecuteAsync(insert, new { id = 1, name = "same" });
        var e = await Assert.ThrowsAsync<SqliteException>(() => c.ExecuteAsync(insert, new { id = 2, name = "same" }));
        Assert.True(Database.IsUniqueViolation(e));
        Assert.Equal(1, await c.ExecuteAsync(insert, new { id = 3, name = "other" }));
        Assert.Equal(new[] { 1L, 3L }, await c.QueryAsync<long>("SELECT id FROM probe ORDER BY id"));
    }

    [Fact]
    public async Task A_connection_given_back_inside_a_transaction_is_closed_not_lent()
    {
        await using var db = await ProbeAsync();
        await using var next = await GivenBackDirtyAsync(db, async c =>
        {
            await c.ExecuteAsync("BEGIN");
            await c.ExecuteAsync("INSERT INTO probe (id, name) VALUES (1, 'uncommitted')");
        });
        // The abandoned transaction went with its connection: nothing committed, and the next writer is not blocked.
        Assert.Equal(0L, await next.ExecuteScalarAsync<long>("SELECT count(*) FROM probe"));
        Assert.Equal(1, await next.ExecuteAsync("INSERT INTO probe (id, name) VALUES (2, 'next')"));
    }

    [Fact]
    public async Task The_same_sql_runs_while_its_first_reader_is_still_open()
    {
        await using var db = await ProbeAsync();
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("INSERT INTO probe (id, name) VALUES (1, 'a'), (2, 'b')");
        await using var sets = await c.QueryMultipleAsync(new SqlStatement("SELECT name FROM probe WHERE id >= @min ORDER BY id", new { min = 1 }));
        Assert.Equal(new[] { "b" }, await c.QueryAsync<string>("SELECT name FROM probe WHERE id >= @min ORDER BY id", new { min = 2 }));
        Assert.Equal(new[] { "a", "b" }, await sets.ReadAsync<string>());
    }

    [Fact]
    public async Task Texts_beyond_the_cache_limit_and_expanded_lists_still_run()
    {
        await using var db = await ProbeAsync();
        await using var c = await db.OpenAsync();
        var session = Assert.IsType<SqliteSession>(c);
        for (var i = 0; i < SqliteSession.MaxCachedCommands + 20; i++)
            Assert.Equal(1, await c.ExecuteAsync($"INSERT INTO probe (id, name) VALUES ({i}, 'n{i}')"));
        Assert.Equal(SqliteSession.MaxCachedCommands, session.CachedCommands);
        // A list parameter expands into one placeholder per element: each length is its own text.
        Assert.Equal(new[] { "n1", "n2" }, await c.QueryAsync<string>("SELECT name FROM probe WHERE id IN @ids ORDER BY id", new { ids = new[] { 1, 2 } }));
        Assert.Equal(new[] { "n5" }, await c.QueryAsync<string>("SELECT name FROM probe WHERE id IN @ids ORDER BY id", new { ids = new[] { 5 } }));
    }

    [Fact]
    public async Task A_statement_read_only_to_its_first_row_does_not_keep_an_old_snapshot()
    {
        await using var db = await ProbeAsync();
        await using var a = await db.OpenAsync();
        await a.ExecuteAsync("INSERT INTO probe (id, name) VALUES (1, 'a'), (2, 'b')");
        // Reads the first row and stops: the kept statement must be reset, or it holds a read transaction open
        // on this connection (later reads see the old data, and WAL checkpoints cannot pass it).
        Assert.Equal("a", await a.QueryFirstOrDefaultAsync<string>(new SqlStatement("SELECT name FROM probe ORDER BY id")));
        await using (var b = await db.OpenAsync())
            await b.ExecuteAsync("INSERT INTO probe (id, name) VALUES (3, 'c')");
        Assert.Equal(3L, await a.ExecuteScalarAsync<long>("SELECT count(*) FROM probe"));
        Assert.Equal("a", await a.QueryFirstOrDefaultAsync<string>(new SqlStatement("SELECT name FROM probe ORDER BY id")));
    }

    [Fact]
    public async Task A_connection_given_back_with_a_reader_still_open_is_closed_not_lent()
    {
        await using var db = await ProbeAsync();
        await using var next = await GivenBackDirtyAsync(db, async c =>
        {
            await c.ExecuteAsync("INSERT INTO probe (id, name) VALUES (1, 'a'), (2, 'b')");
            // Its user forgot to dispose the reader: the statement is still stepping.
            _ = await c.QueryMultipleAsync(new SqlStatement("SELECT name FROM probe ORDER BY id"));
        });
    }

    /// <summary>
    /// Lends a connection, lets <paramref name="leave"/> leave it in a state it must not be lent in, gives it back,
    /// and asserts that the pool closed it instead of keeping it; returns the connection lent next.
    /// </summary>
    private static async Task<DbConnection> GivenBackDirtyAsync(Database db, Func<DbConnection, Task> leave)
    {
        SqliteSession left;
        await using (var c = await db.OpenAsync())
        {
            left = Assert.IsType<SqliteSession>(c);
            await leave(c);
        }
        Assert.Equal(0, db.Sqlite!.Idle);
        var next = await db.OpenAsync();
        Assert.NotSame(left, next);
        return next;
    }

    [Fact]
    public async Task Disposing_the_database_closes_the_idle_connections()
    {
        var db = await ProbeAsync();
        SqliteSession session;
        await using (var c = await db.OpenAsync()) session = Assert.IsType<SqliteSession>(c);
        Assert.Equal(1, db.Sqlite!.Idle);
        await db.DisposeAsync();
        Assert.Equal(0, db.Sqlite.Idle);
        Assert.Equal(System.Data.ConnectionState.Closed, session.Inner.State);
    }
}
