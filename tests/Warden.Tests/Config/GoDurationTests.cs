using Warden.Config;
using Xunit;

namespace Warden.Tests.Config;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("30s", 30_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("720h", 2_592_000_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("100ms", 100)]
    [InlineData("2h45m30s", 9_930_000)]
    [InlineData("-1m", -60_000)]
    [InlineData(" 15m ", 900_000)]
    public void Parses_go_durations(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Fact]
    public void Parses_sub_millisecond_units()
    {
        Assert.Equal(TimeSpan.FromTicks(15), GoDuration.Parse("1500ns"));
        Assert.Equal(TimeSpan.FromTicks(20), GoDuration.Parse("2us"));
        Assert.Equal(TimeSpan.FromTicks(20), GoDuration.Parse("2µs"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1d")]
    [InlineData("h")]
    [InlineData("10 minutes")]
    [InlineData("1h30")]
    [InlineData("PT1H")]
    [InlineData("1.2.3s")]
    [InlineData(null)]
    public void Rejects_what_is_not_a_go_duration(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
        if (text is not null) Assert.Throws<FormatException>(() => GoDuration.Parse(text));
    }

    [Theory]
    [InlineData("1h30m")]
    [InlineData("10m")]
    [InlineData("45s")]
    [InlineData("720h")]
    public void Format_round_trips(string text) => Assert.Equal(text, GoDuration.Format(GoDuration.Parse(text)));
}
