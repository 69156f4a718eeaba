using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden;
using Warden.Config;
using Warden.Persistence;

namespace Warden.Server;

internal static class Serve
{
    public static async Task<int> RunAsync(WardenConfig config, bool migrate, CancellationToken ct)
    {
        WardenHost host;
        try
        {
            host = WardenHost.Create(config);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"Invalid configuration: {e.Message}");
            return 1;
        }
        await using var _ = host;
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Warden");
        try
        {
            var db = host.Services.GetRequiredService<Database>();
            var migrator = host.Services.GetRequiredService<Migrator>();
            var pending = await migrator.PendingAsync(ct);
            // The embedded SQLite default migrates itself so a first run needs no extra step; a shared
            // PostgreSQL is only changed when the operator says so.
            if (pending.Count > 0 && (migrate || db.Dialect == Dialect.Sqlite))
            {
                var applied = await migrator.ApplyAsync(ct);
                log.LogInformation("Applied {Count} migration(s) to {Dsn}", applied.Count, db.Dsn.Redacted);
            }
            else if (pending.Count > 0)
            {
                Console.Error.WriteLine($"The database has {pending.Count} pending migration(s). Run 'warden migrate sql -e --yes' or start with 'serve --migrate'.");
                return 1;
            }
            await host.StartAsync(ct);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"Invalid configuration: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or IOException)
        {
            Console.Error.WriteLine($"Startup failed: {e.Message}");
            return 1;
        }
        log.LogInformation("Public API on {Public} (base URL {PublicBase}), admin API on {Admin}",
            host.PublicAddress, host.Urls.Public, host.AdminAddress);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        log.LogInformation("Shutting down");
        return 0;
    }
}
