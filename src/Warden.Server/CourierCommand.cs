using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Courier;
using Warden.Persistence;

namespace Warden.Server;

/// <summary>
/// <c>courier watch</c>: runs only the courier worker (no HTTP), for deployments that deliver mail from a
/// separate process. Any number may run next to <c>serve</c> instances on one database.
/// </summary>
internal static class CourierCommand
{
    public static Command Build(IDictionary<string, string?> env, Func<CourierWorker, Task>? onStarted = null)
    {
        var config = new Option<string[]>("--config", "-c")
        {
            Description = "Path to a Kratos config file (YAML or JSON). Repeat to merge several, later ones win.",
            AllowMultipleArgumentsPerToken = false,
        };
        var metrics = new Option<int?>("--expose-metrics-port") { Description = "Accepted for Kratos compatibility; Warden exposes no metrics port." };
        var watch = new Command("watch", "Deliver queued messages until stopped (Ctrl-C / SIGTERM).") { config, metrics };
        watch.SetAction(async (parse, ct) =>
        {
            var err = parse.InvocationConfiguration.Error;
            var cfg = Cli.LoadConfig(parse.GetValue(config), false, env, err);
            if (cfg is null) return 1;
            return await WatchAsync(cfg, err, onStarted, ct);
        });
        return new Command("courier", "The message courier.") { watch };
    }

    private static async Task<int> WatchAsync(WardenConfig config, TextWriter err, Func<CourierWorker, Task>? onStarted, CancellationToken ct)
    {
        WardenHost host;
        CourierWorker worker;
        try
        {
            host = WardenHost.Create(config);
            worker = host.Services.GetRequiredService<CourierWorker>();
            // Loading the templates now reports a broken override before any message is touched.
            host.Services.GetRequiredService<Courier.Templates.MessageTemplates>();
        }
        catch (ConfigException e)
        {
            Cli.WriteConfigProblems(e, err);
            return 1;
        }
        await using var _ = host;
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Warden");
        try
        {
            var db = host.Services.GetRequiredService<Database>();
            var migrator = host.Services.GetRequiredService<Migrator>();
            var pending = await migrator.PendingAsync(ct);
            if (pending.Count > 0 && db.Dialect == Dialect.Sqlite) await migrator.ApplyAsync(ct);
            else if (pending.Count > 0)
            {
                err.WriteLine($"The database has {pending.Count} pending migration(s). Run 'warden migrate sql -e --yes' first.");
                return 1;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            err.WriteLine($"Startup failed: {e.Message}");
            return 1;
        }
        log.LogInformation("Courier worker {Worker} started", worker.Id);
        var running = worker.RunAsync(ct);
        if (onStarted is not null) await onStarted(worker);
        await running;
        log.LogInformation("Courier worker stopped");
        return 0;
    }
}
