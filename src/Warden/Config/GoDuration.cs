using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warden.Config;

/// <summary>
/// Kratos compat: durations in kratos.yml use Go's notation ("1h", "10m", "1h30m", "100ms", "1.5h").
/// </summary>
public static class GoDuration
{
    public static TimeSpan Parse(string text)
    {
        if (!TryParse(text, out var value)) throw new FormatException($"'{text}' is not a duration such as 10m, 1h or 720h");
        return value;
    }

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+')) s = s[1..];
        if (s == "0") return true;
        double totalTicks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (start == i) return false;
            if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            double? unit = s[unitStart..i] switch
            {
                "ns" => 0.01,
                "us" or "µs" or "μs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (unit is null) return false;
            totalTicks += number * unit.Value;
        }
        if (totalTicks > TimeSpan.MaxValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)(negative ? -totalTicks : totalTicks));
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var parts = new List<string>();
        if (value.TotalHours >= 1) parts.Add($"{(long)value.TotalHours}h");
        if (value.Minutes > 0) parts.Add($"{value.Minutes}m");
        if (value.Seconds > 0 || value.Milliseconds > 0)
            parts.Add(value.Milliseconds > 0 ? $"{value.Seconds + value.Milliseconds / 1000.0:0.###}s" : $"{value.Seconds}s");
        return string.Concat(parts);
    }
}

/// <summary>Binds Go duration strings (and plain numbers of seconds) to <see cref="TimeSpan"/>.</summary>
public sealed class DurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => GoDuration.Parse(reader.GetString()!),
            JsonTokenType.Number => TimeSpan.FromSeconds(reader.GetDouble()),
            _ => throw new JsonException("expected a duration such as 10m or 1h"),
        };

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(GoDuration.Format(value));
}

public sealed class NullableDurationConverter : JsonConverter<TimeSpan?>
{
    private static readonly DurationConverter Inner = new();

    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(TimeSpan), options);

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else Inner.Write(writer, value.Value, options);
    }
}
