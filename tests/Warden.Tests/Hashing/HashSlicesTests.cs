using Warden.Config;
using Warden.Hashing;
using Xunit;

namespace Warden.Tests.Hashing;

/// <summary>
/// The time slice policy (<c>warden.hashing.time_slice</c>): which slice is asked for and when, with the kernel
/// call replaced by a recorder; <see cref="TimeSliceTests"/> makes the real call.
/// </summary>
public sealed class HashSlicesTests
{
    private static HashingOptions Options(string yaml) => HashingOptions.From(HashingOptionsTests.ConfigFrom(yaml));

    [Fact]
    public void Off_is_the_default_and_auto_is_on_for_argon2_only()
    {
        Assert.Null(Options("hashers: {algorithm: argon2}").TimeSlice);
        Assert.False(Options("hashers: {algorithm: argon2}").Slices().Active);
        Assert.False(Options("hashers: {algorithm: argon2}\nwarden: {hashing: {time_slice: off}}").Slices().Active);
        const string auto = "\nwarden: {hashing: {time_slice: auto}}";
        Assert.Equal(TimeSpan.Zero, Options("hashers: {algorithm: argon2}" + auto).TimeSlice);
        Assert.True(Options("hashers: {algorithm: argon2}" + auto).Slices().Active);
        Assert.False(Options("hashers: {algorithm: bcrypt}" + auto).Slices().Active);
        Assert.False(Options("hashers: {algorithm: pbkdf2}" + auto).Slices().Active);
        // An explicit slice applies whatever the algorithm.
        var bcrypt = Options("hashers: {algorithm: bcrypt}\nwarden: {hashing: {time_slice: 20ms}}");
        Assert.Equal(TimeSpan.FromMilliseconds(20), bcrypt.TimeSlice);
        Assert.True(bcrypt.Slices().Active);
    }

    [Theory]
    [InlineData("2ms")]
    [InlineData("1s")]
    [InlineData("fast")]
    [InlineData("-5ms")]
    [InlineData("0s")]
    public void Bad_values_name_the_key(string value)
    {
        var e = Assert.Throws<ConfigException>(() => Options($"warden: {{hashing: {{time_slice: \"{value}\"}}}}"));
        Assert.Contains("warden.hashing.time_slice", e.Message);
    }

    [Fact]
    public void Auto_asks_for_one_and_a_half_hashes_and_only_grows_by_a_quarter_or_more()
    {
        var asked = new List<TimeSpan>();
        var slices = HashSlices.Auto(asked.Add);
        Assert.Equal(TimeSpan.Zero, slices.Applied);

        slices.Observed(TimeSpan.FromMilliseconds(20));
        Assert.Equal([TimeSpan.FromMilliseconds(30)], asked);
        slices.Observed(TimeSpan.FromMilliseconds(16)); // shorter: keep
        slices.Observed(TimeSpan.FromMilliseconds(24)); // 36 ms is within a quarter of 30: keep
        Assert.Single(asked);
        slices.Observed(TimeSpan.FromMilliseconds(26)); // 39 ms: more than a quarter
        Assert.Equal(TimeSpan.FromMilliseconds(39), asked[^1]);
        slices.Observed(TimeSpan.FromSeconds(1)); // a bcrypt-sized hash: the kernel's ceiling
        Assert.Equal(HashSlices.Longest, asked[^1]);
        Assert.Equal(HashSlices.Longest, slices.Applied);
    }

    [Fact]
    public void Auto_never_asks_for_less_than_the_floor()
    {
        var asked = new List<TimeSpan>();
        HashSlices.Auto(asked.Add).Observed(TimeSpan.FromMilliseconds(0.5));
        Assert.Equal([HashSlices.Shortest], asked);
    }

    [Fact]
    public void A_fixed_slice_is_asked_for_once()
    {
        var asked = new List<TimeSpan>();
        var slices = HashSlices.Fixed(TimeSpan.FromMilliseconds(12), asked.Add);
        slices.Observed(TimeSpan.FromMilliseconds(1));
        slices.Observed(TimeSpan.FromMilliseconds(90));
        Assert.Equal([TimeSpan.FromMilliseconds(12)], asked);
    }

    [Fact]
    public void Off_never_asks()
    {
        HashSlices.Off.Observed(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.Zero, HashSlices.Off.Applied);
        Assert.False(HashSlices.Off.Active);
    }

    [Fact]
    public async Task The_limiter_reports_each_hash_it_ran_and_not_the_cancelled_ones()
    {
        var asked = new List<TimeSpan>();
        var limiter = new HashLimiter(1, 4, HashSlices.Auto(s => { lock (asked) asked.Add(s); }));
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var running = limiter.RunAsync(() => { started.Set(); gate.Wait(); Thread.Sleep(20); return 1; }, default);
        started.Wait();
        using var cts = new CancellationTokenSource();
        var cancelled = limiter.RunAsync(() => 2, cts.Token);
        await cts.CancelAsync();
        gate.Set();
        Assert.Equal(1, await running);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(3, await limiter.RunAsync(() => 3, default));

        // The first hash took at least 20 ms, so the slice is at least 30 ms; the cancelled one did no work.
        lock (asked)
        {
            Assert.Single(asked);
            Assert.True(asked[0] >= TimeSpan.FromMilliseconds(30), $"asked for {asked[0]}");
        }
    }
}
