using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;
using Warden.Http;

namespace Warden.Persistence;

/// <summary>The database, its migrations, and the health endpoints that report on them (both ports).</summary>
public sealed class PersistenceFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        services.AddSingleton(_ => new Database(Dsn.Parse(config.Dsn)));
        services.AddSingleton<Migrator>();
    }

    public void MapPublic(IEndpointRouteBuilder routes) => MapHealth(routes);

    public void MapAdmin(IEndpointRouteBuilder routes)
    {
        MapHealth(routes);
        routes.MapGet("/version", () => WardenJson.Json(new { version = WardenVersion.Current })).WithName("getVersion");
    }

    private static void MapHealth(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health/alive", () => WardenJson.Json(new { status = "ok" })).WithName("isAlive");
        routes.MapGet("/health/ready", async (Database db, Migrator migrator, CancellationToken ct) =>
        {
            try
            {
                await using (var c = await db.OpenAsync(ct)) await c.ExecuteScalarAsync<int>("SELECT 1");
                var pending = await migrator.PendingAsync(ct);
                if (pending.Count > 0)
                    return WardenJson.Json(new { errors = new { database = $"{pending.Count} migration(s) pending; run 'warden migrate sql'" } }, 503);
                return WardenJson.Json(new { status = "ok" });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return WardenJson.Json(new { errors = new { database = "the database is not reachable" } }, 503);
            }
        }).WithName("isReady");
    }
}
