using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Observability;
using Xunit;

namespace Warden.Tests.Http;

/// <summary>
/// Warden's log lines have the shape of Kratos' (logrus fields, one line per entry), in text and in JSON, and a
/// value can never break a line or pass for another field.
/// </summary>
public sealed class LogLineTests
{
    private static readonly DateTime At = new(2026, 11, 22, 10, 9, 8, 765, DateTimeKind.Utc);

    private static LogEntry Entry(string message, Exception? error = null, params (string, object?)[] fields) =>
        new(At, LogLevel.Warning, "Warden.Courier", message,
            fields.Select(f => new KeyValuePair<string, object?>(f.Item1, f.Item2)).Append(new("{OriginalFormat}", "template")).ToList(), error);

    private static string Text(LogEntry e) => Encoding.UTF8.GetString(LogLine.Text(e));

    [Fact]
    public void Text_lines_carry_logrus_fields_in_order_and_template_values_in_snake_case()
    {
        var line = Text(Entry("Courier retries", null, ("MessageId", 42), ("NextTry", "5s")));
        Assert.Equal("time=2026-11-22T10:09:08.765Z level=warning msg=\"Courier retries\" audience=application service_name=Warden"
            + " category=Warden.Courier message_id=42 next_try=5s\n", line);
    }

    [Fact]
    public void Values_with_spaces_quotes_or_line_breaks_are_quoted_and_escaped_on_one_line()
    {
        var line = Text(Entry("two\nlines \"quoted\" back\\slash\ttab\u0001", null, ("Empty", ""), ("Null", null)));
        Assert.Contains("msg=\"two\\nlines \\\"quoted\\\" back\\\\slash\\ttab\\u0001\"", line);
        Assert.Contains(" empty=\"\" null=\"\"", line);
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_template_value_named_like_a_reserved_field_cannot_overwrite_it()
    {
        var line = Text(Entry("real message", null, ("Msg", "forged"), ("Level", "debug")));
        Assert.Contains(" msg=\"real message\"", line);
        Assert.Contains(" fields.msg=forged fields.level=debug", line);
        var json = JsonNode.Parse(LogLine.Json(Entry("real message", null, ("Msg", "forged"))))!.AsObject();
        Assert.Equal("real message", (string?)json["msg"]);
        Assert.Equal("forged", (string?)json["fields.msg"]);
    }

    [Fact]
    public void Json_lines_are_one_object_with_typed_values_and_the_error_apart()
    {
        Exception error;
        try { throw new InvalidOperationException("boom"); }
        catch (Exception e) { error = e; }
        var bytes = LogLine.Json(Entry("failed", error, ("Attempt", 3), ("Ok", false), ("Reason", "smtp 451")));
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.DoesNotContain((byte)'\n', bytes[..^1]);
        var json = JsonNode.Parse(bytes)!.AsObject();
        Assert.Equal("2026-11-22T10:09:08.765Z", (string?)json["time"]);
        Assert.Equal("warning", (string?)json["level"]);
        Assert.Equal("application", (string?)json["audience"]);
        Assert.Equal(3, (int)json["attempt"]!);
        Assert.False((bool)json["ok"]!);
        Assert.Equal("smtp 451", (string?)json["reason"]);
        Assert.Equal("System.InvalidOperationException", (string?)json["error"]!["type"]);
        Assert.Equal("boom", (string?)json["error"]!["message"]);
        Assert.Contains(nameof(Json_lines_are_one_object_with_typed_values_and_the_error_apart), (string?)json["error"]!["stack_trace"]);
        Assert.False(json.ContainsKey("{OriginalFormat}"));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trace")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warning")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "fatal")]
    public void Levels_are_named_as_log_level_names_them(LogLevel level, string name) => Assert.Equal(name, LogLine.Level(level));

    [Theory]
    [InlineData("Dsn", "dsn")]
    [InlineData("PublicBase", "public_base")]
    [InlineData("Http2Port", "http2_port")]
    [InlineData("URL", "url")]
    [InlineData("already_snake", "already_snake")]
    public void Template_names_become_snake_case(string name, string expected) => Assert.Equal(expected, LogLine.SnakeCase(name));

    [Fact]
    public void The_provider_writes_whole_lines_from_concurrent_loggers()
    {
        var output = new MemoryStream();
        using var factory = LoggerFactory.Create(b => b.AddProvider(new ConsoleLogProvider(LogFormat.Json, output)));
        var log = factory.CreateLogger("Warden.Test");
        Parallel.For(0, 200, i => log.LogWarning("entry {Index} of {Total}", i, 200));
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        Assert.Equal(Enumerable.Range(0, 200), lines.Select(l => (int)JsonNode.Parse(l)!["index"]!).Order());
    }
}
