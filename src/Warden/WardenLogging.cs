using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Observability;

namespace Warden;

/// <summary>
/// Kratos compat: <c>log.level</c> (trace…panic) and <c>log.format</c> (text|json), written in Kratos' line shape
/// by <see cref="ConsoleLogProvider"/>.
/// <c>log.leak_sensitive_values</c> is accepted but never honoured: Warden does not log secrets at all.
/// </summary>
internal static class WardenLogging
{
    public static void Configure(ILoggingBuilder b, WardenConfig config)
    {
        var level = (config.String("log.level") ?? "info").ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "fatal" or "panic" => LogLevel.Critical,
            _ => LogLevel.Information,
        };
        b.SetMinimumLevel(level);
        // Framework chatter (each request, each route match) is noise at info; keep it at warning.
        b.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
        var format = string.Equals(config.String("log.format"), "json", StringComparison.OrdinalIgnoreCase) ? LogFormat.Json : LogFormat.Text;
        b.AddProvider(new ConsoleLogProvider(format, Console.OpenStandardOutput()));
    }
}
