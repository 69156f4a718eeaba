using System.Diagnostics;

namespace Warden.Bench;

/// <summary>
/// Closed-loop load for logins and registrations (wrk cannot chain "create flow" and "submit" per connection):
/// C workers, each running one complete operation after another for the duration. Login rates are far below
/// what this client needs a core for, so it does not limit the result.
/// </summary>
internal static class FlowLoad
{
    public static async Task<int> RunAsync(Options o)
    {
        var kind = o.Str("kind");
        var concurrency = o.Int("concurrency", 4);
        var duration = o.Duration("duration", TimeSpan.FromSeconds(10));
        // --min-ops: keep going past --duration until this many operations finished (warm-up rounds of slow
        // hashers: the runtime compiles optimized code for a method after 30 calls, which 6 s of bcrypt never reach).
        var minOps = o.Int("min-ops", 0);
        var users = kind == "login" ? await File.ReadAllLinesAsync(o.Str("users")) : [];
        var tag = o.Maybe("tag") ?? Guid.NewGuid().ToString("N")[..8];
        using var http = FlowClients.Http(concurrency, TimeSpan.FromSeconds(30));
        var client = FlowClients.Create(o.Str("target"), http, o.Str("base"));
        // Untimed first: connection setup, first-use costs and the JIT's tiering are not the steady state. The same
        // closed loop for --warmup (default 2 s), for Warden and the Identity peer alike.
        var warmup = o.Duration("warmup", TimeSpan.FromSeconds(2));
        var warm = new Stats();
        await RunLoopAsync(kind, client, users, concurrency, warmup, 0, $"warm-{tag}", warm);
        // --segments K --between CMD: the timed run in K equal parts with CMD run between them (bench/run.sh
        // measures the hash floor there, so the floor is sampled all through the run, not only at its ends). The
        // clock stops while CMD runs; each part ends by letting the operations in flight finish.
        var segments = Math.Max(1, o.Int("segments", 1));
        var between = o.Maybe("between");
        var stats = new Stats();
        var elapsed = TimeSpan.Zero;
        for (var segment = 1; segment <= segments; segment++)
        {
            var clock = Stopwatch.StartNew();
            await RunLoopAsync(kind, client, users, concurrency, duration / segments, minOps, $"{tag}s{segment}", stats);
            elapsed += clock.Elapsed;
            if (segment < segments && between is not null) await RunBetweenAsync(between, segment);
        }
        // warmup_requests: even a zero warm-up runs one operation per client; bench/run.sh needs the count to
        // attribute the server's CPU time (it samples around the whole process) to the timed operations.
        Console.WriteLine(stats.ResultLine(elapsed) + $" warmup_requests={warm.Requests}");
        return 0;
    }

    /// <summary>Runs <paramref name="command"/> with /bin/sh, SEGMENT set to the part just finished.</summary>
    private static async Task RunBetweenAsync(string command, int segment)
    {
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command }, UseShellExecute = false };
        start.Environment["SEGMENT"] = segment.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new BenchException($"could not start: {command}");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new BenchException($"between segments, '{command}' exited with {process.ExitCode}");
    }

    private static async Task RunLoopAsync(string kind, IFlowClient client, string[] users, int concurrency, TimeSpan duration, int minOps,
        string tag, Stats stats)
    {
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            // At least one operation per worker, so a zero warm-up still opens every connection.
            for (var n = 0; n == 0 || clock.Elapsed < duration || stats.Requests < minOps; n++)
            {
                var email = kind == "login" ? users[(w + n * concurrency) % users.Length] : $"reg-{tag}-{w}-{n}@bench.example.org";
                await FlowClients.Record(stats, () => kind == "login" ? client.LoginAsync(email) : client.RegisterAsync(email));
            }
        })).ToArray();
        await Task.WhenAll(workers);
    }
}
