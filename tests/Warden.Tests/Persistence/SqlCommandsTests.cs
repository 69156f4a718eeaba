using System.Data.Common;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>
/// Warden's own SQL helpers (parameters in, rows out) on both databases: the values every store relies on
/// round-trip, placeholders bind by whole name, lists expand, and the row shapes (class, record, tuple, single
/// value, dictionary) map as the stores expect.
/// </summary>
public sealed class SqlCommandsTests
{
    private static readonly Guid Id = Guid.Parse("1b4e28ba-2fa1-41d2-883f-0016d3cca427");
    private static readonly DateTime At = new(2026, 11, 21, 12, 30, 45, 123, DateTimeKind.Utc);

    private static async Task<DbConnection> TableAsync(Database db)
    {
        var c = await db.OpenAsync();
        var pg = db.Dialect == Dialect.Postgres;
        await c.ExecuteAsync(pg
            ? "CREATE TABLE probe (id uuid PRIMARY KEY, at timestamptz NOT NULL, flag boolean NOT NULL, n integer NOT NULL, big bigint NOT NULL, name text, data bytea)"
            : "CREATE TABLE probe (id TEXT PRIMARY KEY, at TEXT NOT NULL, flag INTEGER NOT NULL, n INTEGER NOT NULL, big INTEGER NOT NULL, name TEXT, data BLOB)");
        return c;
    }

    private static Task<int> InsertAsync(DbConnection c, Guid id, string? name, int n = 7) => c.ExecuteAsync(
        "INSERT INTO probe (id, at, flag, n, big, name, data) VALUES (@id, @at, @flag, @n, @big, @name, @data)",
        new { id, at = At, flag = true, n, big = 1L << 40, name, data = new byte[] { 0, 1, 255 } });

    private sealed class ProbeRow
    {
        public Guid Id { get; set; }
        public DateTime At { get; set; }
        public bool Flag { get; set; }
        public int N { get; set; }
        public long Big { get; set; }
        public string Name { get; set; } = "unset";
        public byte[]? Data { get; set; }
    }

    private sealed record ProbeRecord(Guid Id, DateTime At, bool Flag, int N);

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Values_round_trip_into_classes_records_tuples_and_single_values(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        await using var c = await TableAsync(db);
        Assert.Equal(1, await InsertAsync(c, Id, "ada"));

        var row = Assert.Single(await c.QueryAsync<ProbeRow>("SELECT id, at, flag, n, big, name, data FROM probe"));
        Assert.Equal((Id, At, DateTimeKind.Utc, true, 7, 1L << 40, "ada"), (row.Id, row.At, row.At.Kind, row.Flag, row.N, row.Big, row.Name));
        Assert.Equal(new byte[] { 0, 1, 255 }, row.Data);

        var record = await c.QuerySingleAsync<ProbeRecord>("SELECT n AS N, flag AS Flag, at AS At, id AS Id FROM probe");
        Assert.Equal(new ProbeRecord(Id, At, true, 7), record);

        var tuple = await c.QuerySingleAsync<(Guid Id, string Name, DateTime? At)>("SELECT id, name, at FROM probe");
        Assert.Equal((Id, "ada", (DateTime?)At), tuple);

        Assert.Equal(Id, await c.ExecuteScalarAsync<Guid>("SELECT id FROM probe WHERE at = @at", new { at = At }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM probe WHERE flag = @yes", new { yes = true }));
        Assert.Null(await c.ExecuteScalarAsync<string>("SELECT name FROM probe WHERE n = 8"));

        var whole = Assert.Single(await c.QueryAsync<Dictionary<string, object?>>("SELECT name, data FROM probe"));
        Assert.Equal("ada", whole["name"]);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_null_column_leaves_the_property_initial_value_and_a_null_scalar_is_default(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        await using var c = await TableAsync(db);
        await InsertAsync(c, Id, name: null);

        var row = await c.QuerySingleAsync<ProbeRow>("SELECT id, name FROM probe");
        Assert.Equal("unset", row.Name);
        Assert.Null(await c.QuerySingleAsync<string?>("SELECT name FROM probe"));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT MAX(n) FROM probe WHERE n > 100"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Placeholders_bind_by_whole_name_and_unmentioned_properties_are_not_sent(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        await using var c = await TableAsync(db);
        await InsertAsync(c, Id, "ada", n: 1);
        // @n must not take @name's value (or the other way round); "unused" is not in the SQL at all.
        var count = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM probe WHERE name = @name AND n = @n", new { n = 1, name = "ada", unused = 42 });
        Assert.Equal(1, count);
        // A hostile value is data, not SQL.
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM probe WHERE name = @name", new { name = "x' OR '1'='1" }));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_typed_null_parameter_can_be_tested_with_IS_NULL(string dialect)
    {
        // PostgreSQL cannot infer the type of an untyped NULL in "@x IS NULL"; a string property declares it.
        await using var db = await TestDb.CreateAsync(dialect);
        await using var c = await TableAsync(db);
        await InsertAsync(c, Id, "ada");
        var count = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM probe WHERE (@name IS NULL OR name = @name)", new { name = (string?)null });
        Assert.Equal(1, count);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task List_parameters_match_any_element_and_an_empty_list_matches_nothing(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        await using var c = await TableAsync(db);
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        for (var i = 0; i < ids.Length; i++) await InsertAsync(c, ids[i], "n" + i, n: i);
        // @namesToSkip starts with the list's name: expanding @names must leave it alone.
        Task<int> CountAsync(string[] names) => c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM probe WHERE name IN @names AND name <> @namesToSkip AND n >= @n", new { names, namesToSkip = "n1", n = 0 });

        Assert.Equal(2, await CountAsync(["n0", "n1", "n2", "absent"]));
        Assert.Equal(1, await CountAsync(["n2"]));
        Assert.Equal(0, await CountAsync([]));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Single_rejects_several_rows_first_does_not_and_both_allow_none(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        await using var c = await TableAsync(db);
        Assert.Null(await c.QuerySingleOrDefaultAsync<ProbeRow>(new SqlStatement("SELECT id FROM probe")));
        await InsertAsync(c, Guid.NewGuid(), "a");
        await InsertAsync(c, Guid.NewGuid(), "b");
        await Assert.ThrowsAsync<InvalidOperationException>(() => c.QuerySingleOrDefaultAsync<string>(new SqlStatement("SELECT name FROM probe")));
        Assert.Equal("a", await c.QueryFirstOrDefaultAsync<string>(new SqlStatement("SELECT name FROM probe ORDER BY name")));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Several_result_sets_of_one_command_read_in_order(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        await using var c = await TableAsync(db);
        await InsertAsync(c, Id, "ada", n: 3);
        await using var sets = await c.QueryMultipleAsync(new SqlStatement(
            "SELECT name FROM probe WHERE id = @id; SELECT n AS N, flag AS Flag, at AS At, id AS Id FROM probe; SELECT name FROM probe WHERE n > @n",
            new { id = Id, n = 99 }));
        Assert.Equal(["ada"], await sets.ReadAsync<string>());
        Assert.Equal(3, Assert.Single(await sets.ReadAsync<ProbeRecord>()).N);
        Assert.Empty(await sets.ReadAsync<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_statement_inside_a_rolled_back_transaction_leaves_nothing(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        await using var c = await TableAsync(db);
        await using (var tx = await c.BeginTransactionAsync())
        {
            await c.ExecuteAsync("INSERT INTO probe (id, at, flag, n, big) VALUES (@id, @at, @flag, 1, 1)", new { id = Id, at = At, flag = false }, tx);
            Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM probe", null, tx));
            await tx.RollbackAsync();
        }
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM probe"));
    }
}
