using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>
/// Lookups by id seek their row even on a new PostgreSQL database without statistics, where an index leading with
/// nid used to win and made every lookup range over all of the network's rows: flows (migration 0008) and courier
/// messages (0009).
/// </summary>
public sealed class LookupPlanTests
{
    [Theory]
    [InlineData("SELECT data, csrf_token FROM selfservice_flows WHERE id = $1 AND nid = $2 AND kind = $3", "(uuid, uuid, text)", "($1, $2, 'login')")]
    [InlineData("UPDATE selfservice_flows SET state = 'x' WHERE id = $1 AND nid = $2", "(uuid, uuid)", "($1, $2)")]
    [InlineData("UPDATE selfservice_flows SET submit_count = submit_count + 1 WHERE id = $1 AND nid = $2 RETURNING submit_count", "(uuid, uuid)", "($1, $2)")]
    public async Task Lookups_by_id_use_the_primary_key_before_any_ANALYZE(string sql, string types, string args)
    {
        await using var db = await TestDb.CreateAsync("postgres");
        await using var c = await db.OpenAsync();
        // The plan a prepared statement keeps once PostgreSQL settles on a generic one.
        await c.ExecuteAsync("SET plan_cache_mode = force_generic_plan");
        await c.ExecuteAsync($"PREPARE q{types} AS {sql}");
        var id = Guid.NewGuid().ToString();
        var nid = Database.DefaultNetworkId.ToString();
        var call = args.Replace("$1", $"'{id}'").Replace("$2", $"'{nid}'");
        var plan = string.Join("\n", await c.QueryAsync<string>($"EXPLAIN EXECUTE q{call}"));
        Assert.Contains("selfservice_flows_pkey", plan);
        Assert.DoesNotContain("selfservice_flows_expires_idx", plan);
    }

    [Theory]
    [InlineData("SELECT id, status FROM courier_messages WHERE id = $1 AND nid = $2")]
    [InlineData("UPDATE courier_messages SET status = 'sent' WHERE id = $1 AND nid = $2")]
    public async Task Courier_lookups_by_id_seek_both_columns(string sql)
    {
        await using var db = await TestDb.CreateAsync("postgres");
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("SET plan_cache_mode = force_generic_plan");
        await c.ExecuteAsync($"PREPARE q(uuid, uuid) AS {sql}");
        var plan = string.Join("\n", await c.QueryAsync<string>(
            $"EXPLAIN EXECUTE q('{Guid.NewGuid()}', '{Database.DefaultNetworkId}')"));
        // Either the primary key or (nid, id); never an index whose leading columns leave id to a range check.
        Assert.Matches("courier_messages_(pkey|nid_id_idx)", plan);
        Assert.DoesNotContain("Filter", plan);
    }
}
