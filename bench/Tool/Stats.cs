using System.Globalization;

namespace Warden.Bench;

/// <summary>Latencies and outcomes of one measurement; prints the same RESULT line as bench/lua/report.lua.</summary>
internal sealed class Stats
{
    private readonly List<double> _ms = [];
    private readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public void Ok(double ms)
    {
        lock (_gate) { _ms.Add(ms); Count("200"); }
    }

    /// <summary>A non-success: the HTTP status, or "timeout"/"error" for transport failures.</summary>
    public void Failed(string outcome, double ms)
    {
        lock (_gate) { _ms.Add(ms); Count(outcome); }
    }

    private void Count(string outcome) => _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;

    public int Requests { get { lock (_gate) return _ms.Count; } }

    public int Errors { get { lock (_gate) return _outcomes.Where(kv => kv.Key != "200").Sum(kv => kv.Value); } }

    public int Successes { get { lock (_gate) return _outcomes.GetValueOrDefault("200"); } }

    public string Outcomes { get { lock (_gate) return string.Join(",", _outcomes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value}")); } }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_ms.Count == 0) return 0;
            var sorted = _ms.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    /// <summary>Throughput counts successful operations only: a login answered 503 is not a login.</summary>
    public string ResultLine(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"RESULT rps={Successes / elapsed.TotalSeconds:0.0} p50_ms={Percentile(50):0.00} p99_ms={Percentile(99):0.00} errors={Errors} requests={Requests} seconds={elapsed.TotalSeconds:0.000} outcomes={Outcomes}");
}
