using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Warden.Schemas;

/// <summary>
/// Logs one warning per configured schema that could not be fetched at startup, naming its config key, so an
/// operator learns of it before the first registration answers 503. Runs when the host starts (a logger
/// does not exist yet while the schemas are loaded).
/// </summary>
internal sealed class SchemaStartupReport(IdentitySchemas schemas, ILogger<SchemaStartupReport> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        foreach (var schema in schemas.All)
            if (schema.Source.Failure is { } reason)
                // The reason names status, timeout or refused host, never the URL (it may carry credentials).
                log.LogWarning("Identity schema {SchemaId} ({Key}) is unavailable: {Reason}. Requests that use it answer 503; " +
                               "it is fetched again on use, at most every {Interval} s.",
                    schema.Id, schema.Source.Key, reason, (int)(schemas.Fetcher?.RetryInterval.TotalSeconds ?? 0));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
