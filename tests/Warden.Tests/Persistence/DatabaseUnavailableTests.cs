using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>A database that cannot take the work right now is a 503 worth retrying, not a 500; a wrong statement stays a 500.</summary>
public sealed class DatabaseUnavailableTests
{
    [Fact]
    public void SQLite_busy_locked_and_unusable_files_are_unavailable_constraint_errors_are_not()
    {
        Assert.True(Database.IsUnavailable(new SqliteException("database is locked", 5)));
        Assert.True(Database.IsUnavailable(new SqliteException("table is locked", 6)));
        Assert.True(Database.IsUnavailable(new SqliteException("disk I/O error", 10)));
        Assert.True(Database.IsUnavailable(new SqliteException("unable to open database file", 14)));
        Assert.True(Database.IsUnavailable(new InvalidOperationException("wrapped", new SqliteException("database is locked", 5))));
        Assert.False(Database.IsUnavailable(new SqliteException("UNIQUE constraint failed", 19, 2067)));
        Assert.False(Database.IsUnavailable(new SqliteException("no such table", 1)));
        Assert.False(Database.IsUnavailable(new InvalidOperationException("a bug")));
    }

    [Fact]
    public async Task PostgreSQL_unreachable_is_unavailable_a_duplicate_is_not()
    {
        await using (var down = new Database(Dsn.Parse($"postgres://postgres@127.0.0.1:{Ports.Free()}/warden?connect_timeout=2")))
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(async () => await down.OpenAsync());
            Assert.True(Database.IsUnavailable(e));
        }
        await using var db = await TestDb.CreateAsync("postgres");
        await using var c = await db.OpenAsync();
        var dup = await Assert.ThrowsAnyAsync<Exception>(() => c.ExecuteAsync(
            "INSERT INTO networks (id, created_at) VALUES (@id, @now)", new { id = Database.DefaultNetworkId, now = DateTime.UtcNow }));
        Assert.True(Database.IsUniqueViolation(dup));
        Assert.False(Database.IsUnavailable(dup));
    }

    [Fact]
    public async Task A_request_that_cannot_reach_the_database_is_a_503_in_the_error_shape()
    {
        var cfg = new WardenConfig(new JsonObject
        {
            ["dsn"] = $"postgres://postgres@127.0.0.1:{Ports.Free()}/warden?connect_timeout=2",
            ["serve"] = new JsonObject { ["public"] = new JsonObject { ["port"] = 0 }, ["admin"] = new JsonObject { ["port"] = 0 } },
        }, dev: true);
        await using var host = WardenHost.Create(cfg, b => b.SetMinimumLevel(LogLevel.Critical));
        await host.StartAsync();
        using var admin = new HttpClient { BaseAddress = host.AdminAddress };
        var r = await admin.GetAsync("/admin/identities");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Equal("1", r.Headers.GetValues("Retry-After").Single());
        var error = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(503, error["code"]!.GetValue<int>());
        Assert.Equal("Service Unavailable", error["status"]!.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", error.ToJsonString());
    }
}
