using Microsoft.Extensions.Logging;

namespace Warden.Observability;

/// <summary>
/// Warden's log output: one line per entry on standard output, in the shape of Kratos' logs (logrus' fields
/// <c>time</c>, <c>level</c>, <c>msg</c>, then the entry's own fields), as key=value text or one JSON object per
/// line (<c>log.format</c>), so log pipelines set up for Kratos read Warden's lines the same way.
/// Written here rather than with Microsoft.Extensions.Logging.Console: that provider's own lines are not Kratos'
/// shape, and it costs a queue thread and its options and formatter machinery in every idle server (measured
/// with the idle-size benchmark; docs/performance-history.md, round 17).
/// </summary>
internal sealed class ConsoleLogProvider(LogFormat format, Stream output) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly bool _json = format == LogFormat.Json;

    public ILogger CreateLogger(string categoryName) => new ConsoleLogger(this, categoryName);

    public void Dispose() { }

    // A whole line per write, under a lock: lines of concurrent requests never interleave. Synchronous like the
    // provider it replaces once its queue is full; Warden logs per request only on failures, so the write is not
    // on the path of a normal request.
    private void Write(byte[] line)
    {
        lock (_gate)
        {
            try { output.Write(line); }
            catch (IOException) { } // stdout closed (a detached service): losing a log line must not fail a request
        }
    }

    private sealed class ConsoleLogger(ConsoleLogProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // Levels are filtered by the logger factory's rules (log.level, and warning for Microsoft.*).
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var entry = new LogEntry(DateTime.UtcNow, logLevel, category, formatter(state, exception),
                state as IReadOnlyList<KeyValuePair<string, object?>>, exception);
            owner.Write(owner._json ? LogLine.Json(entry) : LogLine.Text(entry));
        }
    }
}

/// <summary>The two shapes <c>log.format</c> names.</summary>
internal enum LogFormat { Text, Json }
