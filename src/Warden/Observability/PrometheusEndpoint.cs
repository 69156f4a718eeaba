using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Hashing;
using Warden.Sessions.Cache;

namespace Warden.Observability;

/// <summary>
/// <c>GET /metrics/prometheus</c> on the admin port (where Kratos serves its metrics): the process and the whoami
/// cache in Prometheus' text format. Only counts and sizes, never an identifier.
/// </summary>
internal static class PrometheusEndpoint
{
    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/metrics/prometheus", (SessionCache cache, PasswordHasher hasher) => Results.Text(Render(cache, hasher), ContentType))
            .WithName("prometheus");

    internal static string Render(SessionCache cache, PasswordHasher hasher)
    {
        var w = new StringBuilder(2048);
        var c = cache.Counters;
        Counter(w, "warden_session_cache_hits_total", "Whoami answers served from memory.", c.Hits);
        Counter(w, "warden_session_cache_misses_total", "Whoami requests the cache could not answer while serving.", c.Misses);
        Counter(w, "warden_session_cache_not_serving_total", "Whoami requests that read the database because the change feed was not current.", c.NotServing);
        Counter(w, "warden_session_cache_adds_refused_total", "Answers read from the database and not kept because a change raced them.", c.AddsRefused);
        Counter(w, "warden_session_cache_trims_total", "Times the full cache made room (entries past their age, then about a tenth of the rest).", c.Trims);
        Counter(w, "warden_session_cache_trimmed_total", "Entries dropped because the cache was full.", c.Trimmed);
        Counter(w, "warden_session_cache_feed_evictions_total", "Identities evicted because another process changed them.", c.FeedEvictions);
        Gauge(w, "warden_session_cache_entries", "Whoami answers held.", cache.Count);
        Gauge(w, "warden_session_cache_serving", "1 while the cache answers (enabled and its change feed current).", cache.Serving ? 1 : 0);
        Gauge(w, "warden_hash_time_slice_seconds", "Time slice the process asked the kernel for while hashing (0: the kernel's default; warden.hashing.time_slice).",
            hasher.Limiter.Slices.Applied.TotalSeconds);

        using var process = Process.GetCurrentProcess();
        Counter(w, "process_cpu_seconds_total", "User and system CPU time of the process.", process.TotalProcessorTime.TotalSeconds);
        Gauge(w, "process_resident_memory_bytes", "Resident memory of the process.", process.WorkingSet64);
        Gauge(w, "process_start_time_seconds", "Start of the process, seconds since the Unix epoch.",
            new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        Gauge(w, "dotnet_gc_heap_bytes", "Bytes of the managed heap in use after the last collection.", GC.GetGCMemoryInfo().HeapSizeBytes);
        // Precise: the cheap count lags by what threads' allocation buffers still hold, so a scrape after a few small
        // requests could show no change, and a counter should not depend on which buffer happens to fill.
        Counter(w, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the start.", GC.GetTotalAllocatedBytes(precise: true));
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
            Counter(w, "dotnet_gc_collections_total", "Garbage collections by generation.", GC.CollectionCount(gen), $"generation=\"{gen}\"", header: gen == 0);
        Counter(w, "dotnet_jit_methods_total", "Methods compiled by the JIT (each tier counts).", System.Runtime.JitInfo.GetCompiledMethodCount());
        Counter(w, "dotnet_jit_compilation_seconds_total", "Time spent compiling, all threads.", System.Runtime.JitInfo.GetCompilationTime().TotalSeconds);
        Gauge(w, "dotnet_threadpool_threads", "Thread pool threads.", ThreadPool.ThreadCount);
        Gauge(w, "dotnet_threadpool_queue_length", "Work items waiting for a thread pool thread.", ThreadPool.PendingWorkItemCount);
        return w.ToString();
    }

    private static void Counter(StringBuilder w, string name, string help, double value, string? labels = null, bool header = true) =>
        Write(w, name, "counter", help, value, labels, header);

    private static void Gauge(StringBuilder w, string name, string help, double value) => Write(w, name, "gauge", help, value, null, true);

    private static void Write(StringBuilder w, string name, string type, string help, double value, string? labels, bool header)
    {
        if (header) w.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        w.Append(name);
        if (labels is not null) w.Append('{').Append(labels).Append('}');
        w.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
