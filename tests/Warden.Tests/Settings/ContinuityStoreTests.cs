using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.SelfService.Continuity;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Settings;

/// <summary>Parked flow work: per identity and name, replaced on put, taken at most once, gone when expired.</summary>
public sealed class ContinuityStoreTests
{
    private static async Task<Guid> NewIdentity(Database db)
    {
        var id = Guid.NewGuid();
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO identities (id, nid, schema_id, traits, state, created_at, updated_at) VALUES (@id, @nid, 'default', '{}', 'active', @now, @now)",
            new { id, nid = Database.DefaultNetworkId, now = DateTime.UtcNow });
        return id;
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Put_take_replace_and_expire(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new ContinuityStore(db);
        var alice = await NewIdentity(db);
        var bob = await NewIdentity(db);
        var later = DateTime.UtcNow.AddHours(1);

        await store.PutAsync("settings.password.x", alice, new JsonObject { ["v"] = 1 }, later);
        await store.PutAsync("settings.password.x", alice, new JsonObject { ["v"] = 2 }, later);
        Assert.False(await store.ExistsAsync("settings.password.x", bob));
        Assert.Null(await store.TakeAsync("settings.password.x", bob));
        Assert.True(await store.ExistsAsync("settings.password.x", alice));
        Assert.Equal(2, (await store.TakeAsync("settings.password.x", alice))!["v"]!.GetValue<int>());
        Assert.Null(await store.TakeAsync("settings.password.x", alice));

        await store.PutAsync("settings.profile.y", alice, new JsonObject { ["v"] = 3 }, DateTime.UtcNow.AddSeconds(-1));
        Assert.False(await store.ExistsAsync("settings.profile.y", alice));
        Assert.Null(await store.TakeAsync("settings.profile.y", alice));

        await store.PutAsync("settings.profile.z", alice, new JsonObject { ["v"] = 4 }, later);
        await store.DeleteAsync("settings.profile.z", alice);
        Assert.Null(await store.TakeAsync("settings.profile.z", alice));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Concurrent_takes_get_it_once(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new ContinuityStore(db);
        var alice = await NewIdentity(db);
        await store.PutAsync("settings.password.race", alice, new JsonObject { ["v"] = 1 }, DateTime.UtcNow.AddHours(1));
        var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.TakeAsync("settings.password.race", alice))));
        Assert.Single(takes, t => t is not null);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Deleting_the_identity_removes_its_containers(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new ContinuityStore(db);
        var alice = await NewIdentity(db);
        await store.PutAsync("settings.password.gone", alice, new JsonObject { ["v"] = 1 }, DateTime.UtcNow.AddHours(1));
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("DELETE FROM identities WHERE id = @alice", new { alice });
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM continuity_containers"));
    }
}
