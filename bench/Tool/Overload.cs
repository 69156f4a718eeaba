using System.Diagnostics;
using System.Globalization;

namespace Warden.Bench;

/// <summary>
/// Open-loop overload: logins arrive at a fixed rate (e.g. 10x the measured capacity) whether or not earlier
/// ones finished, as real users do. Reports what the server answered (200/429/503/timeouts), its peak RSS while
/// overloaded, and then whether it recovered: a closed-loop login run right after must reach its normal rate.
/// </summary>
internal static class Overload
{
    public static async Task<int> RunAsync(Options o)
    {
        var rate = o.Num("rate", 50);
        var duration = o.Duration("duration", TimeSpan.FromSeconds(10));
        var pid = o.Int("pid", 0);
        var users = await File.ReadAllLinesAsync(o.Str("users"));
        // Enough sockets for every request in flight; the client must not be the bottleneck that sheds load.
        using var http = FlowClients.Http(4096, TimeSpan.FromSeconds(o.Num("timeout", 10)));
        var client = FlowClients.Create(o.Str("target"), http, o.Str("base"));

        var rssBefore = RssMb(pid);
        var peak = rssBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssMb(pid));
                try { await Task.Delay(100, sampling.Token); } catch (TaskCanceledException) { }
            }
        });

        var stats = new Stats();
        var inflight = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (long n = 0; clock.Elapsed < duration; n++)
        {
            var due = TimeSpan.FromSeconds(n / rate);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var email = users[n % users.Length];
            inflight.Add(FlowClients.Record(stats, () => client.LoginAsync(email)));
        }
        await Task.WhenAll(inflight);
        var drained = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OVERLOAD offered_per_s={rate:0.0} sent={stats.Requests} ok={stats.Successes} outcomes={stats.Outcomes} p50_ms={stats.Percentile(50):0} p99_ms={stats.Percentile(99):0} drained_s={drained.TotalSeconds:0.0} rss_before_mb={rssBefore} rss_peak_mb={peak} rss_after_mb={RssMb(pid)} alive={(Alive(pid) ? "yes" : "no")}"));
        return 0;
    }

    private static bool Alive(int pid) => pid > 0 && File.Exists($"/proc/{pid}/status");

    private static long RssMb(int pid)
    {
        if (!Alive(pid)) return 0;
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException) { return 0; }
    }
}
