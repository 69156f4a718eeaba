using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

public sealed class MigrationTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Applies_all_migrations_once_and_reports_nothing_pending(string dialect)
    {
        await using var db = new Database(Dsn.Parse(TestDb.NewDsn(dialect)));
        var migrator = new Migrator(db);
        Assert.NotEmpty(await migrator.PendingAsync());
        var applied = await migrator.ApplyAsync();
        Assert.Equal(migrator.All.Count, applied.Count);
        Assert.Empty(await migrator.PendingAsync());
        Assert.Empty(await migrator.ApplyAsync());
        await using var c = await db.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM networks"));
    }

    [Fact]
    public async Task PostgreSQL_keeps_the_cascading_foreign_keys_but_none_to_networks()
    {
        await using var db = await TestDb.CreateAsync("postgres");
        await using var c = await db.OpenAsync();
        // 0007: an INSERT no longer locks the one networks row to check its nid.
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'networks'::regclass"));
        var cascading = await c.QueryAsync<string>(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND confdeltype = 'c' ORDER BY conname");
        Assert.Contains("sessions_identity_id_fkey", cascading);
        Assert.Contains("identity_credentials_identity_id_fkey", cascading);
        Assert.Contains("session_devices_session_id_fkey", cascading);
    }

    [Fact]
    public void Both_dialects_have_the_same_migration_versions()
    {
        var sqlite = new Migrator(new Database(Dsn.Parse("memory"))).All.Select(m => m.Name);
        Assert.NotEmpty(sqlite);
        var pgFolder = typeof(Migrator).Assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.postgres.")).Select(n => n.Split(".postgres.")[1][..^4]);
        Assert.Equal(sqlite.Order(), pgFolder.Order());
        var versions = sqlite.Select(n => n.Split('_')[0]).ToList();
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Ready_is_503_until_migrated_then_200(string dialect)
    {
        var dsn = TestDb.NewDsn(dialect);
        var cfg = new Warden.Config.WardenConfig(new System.Text.Json.Nodes.JsonObject
        {
            ["dsn"] = dsn,
            ["serve"] = new System.Text.Json.Nodes.JsonObject
            {
                ["public"] = new System.Text.Json.Nodes.JsonObject { ["port"] = 0 },
                ["admin"] = new System.Text.Json.Nodes.JsonObject { ["port"] = 0 },
            },
        });
        await using var host = WardenHost.Create(cfg, _ => { });
        await host.StartAsync();
        using var http = new HttpClient { BaseAddress = host.PublicAddress };
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/alive")).StatusCode);
        await new Migrator((Database)host.Services.GetService(typeof(Database))!).ApplyAsync();
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("{\"status\":\"ok\"}", await ready.Content.ReadAsStringAsync());
    }
}
