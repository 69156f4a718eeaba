using System.Globalization;

namespace Warden.Bench;

internal sealed class BenchException(string message) : Exception(message);

/// <summary>"--key value" pairs; a key without a value is a flag ("true").</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Options Parse(IEnumerable<string> args)
    {
        var o = new Options();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal)) throw new BenchException($"unexpected argument {list[i]}");
            var key = list[i][2..];
            var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
            o._values[key] = hasValue ? list[++i] : "true";
        }
        return o;
    }

    public string Str(string key) => _values.TryGetValue(key, out var v) ? v : throw new BenchException($"--{key} is required");

    public string? Maybe(string key) => _values.GetValueOrDefault(key);

    public int Int(string key, int fallback) => _values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Num(string key, double fallback) => _values.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string key) => _values.ContainsKey(key);

    /// <summary>Durations as wrk writes them: 10s, 2m, 500ms.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        if (!_values.TryGetValue(key, out var v)) return fallback;
        if (v.EndsWith("ms", StringComparison.Ordinal)) return TimeSpan.FromMilliseconds(double.Parse(v[..^2], CultureInfo.InvariantCulture));
        if (v.EndsWith('s')) return TimeSpan.FromSeconds(double.Parse(v[..^1], CultureInfo.InvariantCulture));
        if (v.EndsWith('m')) return TimeSpan.FromMinutes(double.Parse(v[..^1], CultureInfo.InvariantCulture));
        return TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture));
    }
}
