using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden;
using Warden.Config;
using Warden.Persistence;

namespace Warden.Server;

/// <summary><c>serve</c>: builds the host, migrates when allowed, listens until Ctrl-C or SIGTERM.</summary>
internal static class Serve
{
    public static async Task<int> RunAsync(WardenConfig config, bool migrate, TextWriter err,
        Func<WardenHost, Task>? onStarted, CancellationToken ct)
    {
        WardenHost host;
        try
        {
            host = WardenHost.Create(config);
        }
        catch (ConfigException e)
        {
            Cli.WriteConfigProblems(e, err);
            return 1;
        }
        await using var _ = host;
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Warden");
        SupportedKeys.LogUnsupportedOnce(config, log);
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
                err.WriteLine($"The database has {pending.Count} pending migration(s). Run 'warden migrate sql -e --yes' or start with 'serve --migrate'.");
                return 1;
            }
            await host.StartAsync(ct);
        }
        catch (ConfigException e)
        {
            Cli.WriteConfigProblems(e, err);
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped (Ctrl-C / SIGTERM) while still starting: nothing was served, nothing to report.
            return 0;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            err.WriteLine($"Startup failed: {e.Message}");
            return 1;
        }
        log.LogInformation("Public API on {Public} (base URL {PublicBase}), admin API on {Admin}",
            host.PublicAddress, host.Urls.Public, host.AdminAddress);
        // Startup leaves its garbage (config and schema parsing, migrations, endpoint building) in a heap no
        // request has collected yet: one compacting collection now hands those pages back before the long idle.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (onStarted is not null) await onStarted(host);
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
