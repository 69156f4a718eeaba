using Warden.Identities;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Identities;

/// <summary>
/// SQLite has no statistics on a fresh database, so an index choice can turn a get-by-id into a scan of every
/// address (measured: 7 getIdentity/s at 100k identities). Pin the plans instead of timing anything.
/// </summary>
public sealed class IdentityQueryPlanTests
{
    [Theory]
    [InlineData("i.id = @id", "")]
    [InlineData("1 = 1", "LIMIT @limit")]
    [InlineData("i.id > @id", "LIMIT @limit")]
    public async Task Identity_reads_seek_every_table_by_identity(string where, string limit)
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        await using var c = await db.OpenAsync();
        var sql = IdentityStore.LoadSql(where, limit, withCredentials: true, lockRow: false);
        var statements = sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(5, statements.Length);
        foreach (var statement in statements)
        {
            var plan = (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
                "EXPLAIN QUERY PLAN " + statement, new { nid = Database.DefaultNetworkId, id = Guid.NewGuid(), limit = 251 })).Select(r => r.Detail).ToList();
            Assert.DoesNotContain(plan, d => d.StartsWith("SCAN ", StringComparison.Ordinal));
            // A child table found by the tenant alone is a scan of the whole tenant.
            Assert.DoesNotContain(plan, d => !d.Contains(" i ", StringComparison.Ordinal) && !d.StartsWith("SEARCH i ", StringComparison.Ordinal)
                && d.EndsWith("(nid=?)", StringComparison.Ordinal));
        }
    }
}
