using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Warden.Observability;

/// <summary>One log entry as the logger received it; <see cref="Fields"/> are the message template's values.</summary>
internal sealed record LogEntry(DateTime Time, LogLevel Level, string Category, string Message,
    IReadOnlyList<KeyValuePair<string, object?>>? Fields, Exception? Error);

/// <summary>
/// Formats an entry as one line. Kratos compat: the field names and level names are logrus' (<c>time</c>,
/// <c>level</c> = trace|debug|info|warning|error|fatal, <c>msg</c>, <c>error</c>), and every line carries
/// <c>audience=application</c> and <c>service_name</c> as Kratos' do. A template value whose name collides with one
/// of those is written as <c>fields.NAME</c>, as logrus does. Template names are written in snake_case.
/// </summary>
internal static class LogLine
{
    private const string ServiceName = "Warden";
    private static readonly string[] Reserved = ["time", "level", "msg", "error", "audience", "service_name", "category"];

    public static byte[] Text(LogEntry e)
    {
        var b = new StringBuilder(160);
        b.Append("time=").Append(Time(e.Time));
        b.Append(" level=").Append(Level(e.Level));
        Pair(b, "msg", e.Message);
        b.Append(" audience=application service_name=").Append(ServiceName);
        Pair(b, "category", e.Category);
        foreach (var (key, value) in Fields(e)) Pair(b, key, Value(value));
        if (e.Error is { } error) Pair(b, "error", error.ToString());
        return Encoding.UTF8.GetBytes(b.Append('\n').ToString());
    }

    public static byte[] Json(LogEntry e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("time", Time(e.Time));
            w.WriteString("level", Level(e.Level));
            w.WriteString("msg", e.Message);
            w.WriteString("audience", "application");
            w.WriteString("service_name", ServiceName);
            w.WriteString("category", e.Category);
            foreach (var (key, value) in Fields(e)) JsonValue(w, key, value);
            if (e.Error is { } error)
            {
                w.WriteStartObject("error");
                w.WriteString("type", error.GetType().FullName);
                w.WriteString("message", error.Message);
                w.WriteString("stack_trace", error.ToString());
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "fatal", // Critical: what log.level calls fatal or panic
    };

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static IEnumerable<(string Key, object? Value)> Fields(LogEntry e)
    {
        if (e.Fields is null) yield break;
        foreach (var (key, value) in e.Fields)
        {
            if (key == "{OriginalFormat}") continue; // the template itself; msg is its rendering
            var name = SnakeCase(key);
            yield return (Array.IndexOf(Reserved, name) >= 0 ? "fields." + name : name, value);
        }
    }

    /// <summary>Template names are PascalCase in C# (<c>{PublicBase}</c>); Kratos' fields are snake_case.</summary>
    public static string SnakeCase(string name)
    {
        var b = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0 && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1]))) b.Append('_');
                b.Append(char.ToLowerInvariant(c));
            }
            else b.Append(c);
        }
        return b.ToString();
    }

    private static string Value(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void JsonValue(Utf8JsonWriter w, string key, object? value)
    {
        switch (value)
        {
            case null: w.WriteNull(key); break;
            case bool v: w.WriteBoolean(key, v); break;
            case int v: w.WriteNumber(key, v); break;
            case long v: w.WriteNumber(key, v); break;
            case double v when double.IsFinite(v): w.WriteNumber(key, v); break;
            default: w.WriteString(key, Value(value)); break;
        }
    }

    /// <summary>
    /// Appends <c> key=value</c>, quoting the value the way logrus' text formatter does: bare when it only holds
    /// letters, digits and <c>-._/@^+</c>, else in double quotes with Go-style escapes, so a value never breaks
    /// the line or runs into the next pair.
    /// </summary>
    private static void Pair(StringBuilder b, string key, string value)
    {
        b.Append(' ').Append(key).Append('=');
        if (value.Length > 0 && value.All(Bare))
        {
            b.Append(value);
            return;
        }
        b.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case < ' ' or '\u007f': b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: b.Append(c); break;
            }
        }
        b.Append('"');
    }

    private static bool Bare(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '/' or '@' or '^' or '+';
}
