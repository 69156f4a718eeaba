using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>
/// <see cref="SqlBatch"/> on both databases: all statements run, a failure anywhere leaves none of them behind
/// (on PostgreSQL <see cref="Database.AtomicAsync"/> relies on the batch being one implicit transaction), and
/// the statement that failed, not a neighbour, decides how the error reads.
/// </summary>
public sealed class SqlBatchTests
{
    private static async Task<Database> TableAsync(string dialect)
    {
        var db = await TestDb.CreateAsync(dialect);
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE probe (id integer PRIMARY KEY, name text NOT NULL UNIQUE)");
        return db;
    }

    private static async Task<IReadOnlyList<int>> IdsAsync(Database db)
    {
        await using var c = await db.OpenAsync();
        return await c.QueryAsync<int>("SELECT id FROM probe ORDER BY id");
    }

    private const string Insert = "INSERT INTO probe (id, name) VALUES (@id, @name)";

    private sealed class Named(string name) : Exception(name);

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Every_statement_runs_and_the_changed_rows_add_up(string dialect)
    {
        await using var db = await TableAsync(dialect);
        var batch = new SqlBatch()
            .Add(Insert, new { id = 1, name = "a" })
            .Add(Insert, new { id = 2, name = "b" })
            .Add("UPDATE probe SET name = name || '!' WHERE id IN (1, 2)")
            .Add("DELETE FROM probe WHERE id = 99");
        Assert.Equal(4, await db.AtomicAsync(batch));
        Assert.Equal([1, 2], await IdsAsync(db));
        Assert.Equal(0, await db.AtomicAsync(new SqlBatch()));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_failure_in_the_middle_leaves_nothing_and_names_the_statement_that_failed(string dialect)
    {
        await using var db = await TableAsync(dialect);
        await db.AtomicAsync(new SqlBatch().Add(Insert, new { id = 1, name = "taken" }));
        var batch = new SqlBatch()
            .Add(Insert, new { id = 2, name = "fresh" }, _ => new Named("first"))
            .Add(Insert, new { id = 3, name = "also fresh" }, _ => new Named("second"))
            .Add(Insert, new { id = 4, name = "taken" }, e => Database.IsUniqueViolation(e) ? new Named("third") : null)
            .Add(Insert, new { id = 5, name = "never" }, _ => new Named("fourth"));
        var e = await Assert.ThrowsAsync<Named>(() => db.AtomicAsync(batch));
        Assert.Equal("third", e.Message);
        Assert.Equal([1], await IdsAsync(db));

        // Inside the caller's transaction the same: the transaction does not commit.
        var again = new SqlBatch()
            .Add(Insert, new { id = 6, name = "fresh" })
            .Add(Insert, new { id = 7, name = "taken" }, _ => new Named("duplicate"));
        await Assert.ThrowsAsync<Named>(() => db.InTransactionAsync((c, tx) => again.ExecuteAsync(c, tx)));
        Assert.Equal([1], await IdsAsync(db));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_statement_that_does_not_translate_its_error_lets_the_original_through(string dialect)
    {
        await using var db = await TableAsync(dialect);
        var batch = new SqlBatch()
            .Add(Insert, new { id = 1, name = "x" }, _ => new Named("not me"))
            .Add(Insert, new { id = 2, name = "x" }, _ => null);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => db.AtomicAsync(batch));
        Assert.True(Database.IsUniqueViolation(e), e.GetType().Name);
        Assert.Empty(await IdsAsync(db));
    }
}
