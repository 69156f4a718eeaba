using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>
/// Database.WriteAsync/InTransactionAsync: on SQLite writers take turns in-process (SQLite allows one writer;
/// meeting at its lock meant 150 ms sleeps in Microsoft.Data.Sqlite), reads never wait for a writer.
/// Held open with a TaskCompletionSource, never timed.
/// </summary>
public sealed class WriteGateTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Reads_proceed_while_a_write_transaction_is_open(string dialect)
    {
        // Two connections at once by design: more than the one the test script's pool allows (see test.sh).
        await using var db = await TestDb.CreateAsync(dialect, minConnections: 2);
        var (release, writer) = await HoldWriteTransactionAsync(db, "9999");
        await using (var c = await db.OpenAsync())
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM warden_migrations WHERE version = '9999'"));
        release.SetResult();
        await writer;
        await using (var c = await db.OpenAsync())
            Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM warden_migrations WHERE version = '9999'"));
    }

    [Fact]
    public async Task Every_sqlite_connection_syncs_at_checkpoints_not_at_every_commit()
    {
        // synchronous belongs to the native connection, not the file: setting it once at startup left every
        // other pooled connection at FULL, an fsync per commit.
        await using var db = await TestDb.CreateAsync("sqlite");
        var open = new List<System.Data.Common.DbConnection>();
        for (var i = 0; i < 3; i++) open.Add(await db.OpenAsync());
        foreach (var c in open)
        {
            Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
            Assert.Equal(1, await c.ExecuteScalarAsync<long>("PRAGMA synchronous"));
            await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_sqlite_connection_reads_through_a_map_and_still_sees_the_others_commits()
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        await using var reader = await db.OpenAsync();
        await using (var c = await db.OpenAsync())
        {
            Assert.Equal(SqliteWriteGate.MmapBytes, await c.ExecuteScalarAsync<long>("PRAGMA mmap_size"));
            await c.ExecuteAsync("CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        }
        Assert.Equal(SqliteWriteGate.MmapBytes, await reader.ExecuteScalarAsync<long>("PRAGMA mmap_size"));
        // The reader maps the file, then another connection grows it by a few hundred pages and checkpoints them into
        // the file: the reader must see every row, none from a stale or short mapping.
        Assert.Equal(0, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM probe"));
        for (var round = 1; round <= 3; round++)
        {
            await db.InTransactionAsync(async (c, tx) =>
            {
                for (var i = 0; i < 200; i++)
                    await c.ExecuteAsync(new SqlStatement("INSERT INTO probe (v) VALUES (@v)", new { v = new string((char)('a' + round), 3000) }, tx));
            });
            await using (var c = await db.OpenAsync()) await c.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE)");
            Assert.Equal(200L * round, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM probe"));
            Assert.Equal(200, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM probe WHERE v = @v", new { v = new string((char)('a' + round), 3000) }));
        }
    }

    [Fact]
    public async Task Session_store_autocommit_writes_take_their_turn_too()
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        var store = new Warden.Sessions.SessionStore(db);
        var (release, first) = await HoldWriteTransactionAsync(db, "s");
        var revoke = store.DeactivateAsync(Guid.NewGuid());
        var extend = store.ExtendAsync(Guid.NewGuid(), DateTime.UtcNow.AddHours(1), DateTime.UtcNow);
        Assert.False(revoke.IsCompleted, "a session revoke must wait for the write gate, not for SQLite's busy handler");
        Assert.False(extend.IsCompleted);
        release.SetResult();
        await first;
        Assert.False(await revoke);
        Assert.Null(await extend);
    }

    [Fact]
    public async Task Sqlite_writers_wait_for_their_turn_instead_of_meeting_at_the_database_lock()
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        var (release, first) = await HoldWriteTransactionAsync(db, "a");
        var ran = false;
        var second = db.WriteAsync(async c =>
        {
            ran = true;
            return await c.ExecuteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES ('b', 'second', 'now')");
        });
        Assert.False(second.IsCompleted);
        Assert.False(ran, "the second writer must not reach SQLite while the first holds the write lock");
        release.SetResult();
        await first;
        Assert.Equal(1, await second);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Many_concurrent_writers_all_succeed(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? db.WriteAsync(c => c.ExecuteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES (@v, 'w', 'now')", new { v = $"w{i}" }))
            : db.InTransactionAsync((c, tx) => c.ExecuteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES (@v, 't', 'now')", new { v = $"w{i}" }, tx))));
        await using var c = await db.OpenAsync();
        Assert.Equal(40, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM warden_migrations WHERE version LIKE 'w%'"));
    }

    /// <summary>
    /// A write transaction that has inserted migration row <paramref name="version"/> and stays open until
    /// <c>release</c> is set; <c>done</c> completes once it committed.
    /// </summary>
    private static async Task<(TaskCompletionSource Release, Task Done)> HoldWriteTransactionAsync(Database db, string version)
    {
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var done = db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES (@version, 'held', 'now')", new { version }, tx);
            inside.SetResult();
            await release.Task;
        });
        await inside.Task;
        return (release, done);
    }
}
