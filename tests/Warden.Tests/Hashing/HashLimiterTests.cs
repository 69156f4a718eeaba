using Warden.Hashing;
using Warden.Http;
using Xunit;

namespace Warden.Tests.Hashing;

/// <summary>
/// The limiter decides admission synchronously, so these tests hold work open with gates and count admissions
/// instead of timing anything.
/// </summary>
public sealed class HashLimiterTests
{
    [Fact]
    public async Task Saturated_limiter_rejects_with_503_and_recovers_when_work_finishes()
    {
        var limiter = new HashLimiter(concurrency: 1, queue: 1);
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();

        var running = limiter.RunAsync(() => { started.Set(); gate.Wait(); return 1; }, default);
        started.Wait();
        var queued = limiter.RunAsync(() => 2, default);
        Assert.Equal(2, limiter.Admitted);

        var rejected = await Assert.ThrowsAsync<ApiException>(() => limiter.RunAsync(() => 3, default));
        Assert.Equal(503, rejected.Code);
        Assert.False(string.IsNullOrEmpty(rejected.Reason));
        Assert.False(queued.IsCompleted, "the queued call must wait for the running one");

        gate.Set();
        Assert.Equal(1, await running);
        Assert.Equal(2, await queued);
        Assert.Equal(0, limiter.Admitted);
        Assert.Equal(4, await limiter.RunAsync(() => 4, default));
    }

    [Fact]
    public async Task Zero_queue_admits_exactly_the_concurrency()
    {
        var limiter = new HashLimiter(concurrency: 2, queue: 0);
        using var gate = new ManualResetEventSlim();
        var a = limiter.RunAsync(() => gate.Wait(TimeSpan.FromMinutes(1)), default);
        var b = limiter.RunAsync(() => gate.Wait(TimeSpan.FromMinutes(1)), default);
        Assert.Equal(503, (await Assert.ThrowsAsync<ApiException>(() => limiter.RunAsync(() => true, default))).Code);
        gate.Set();
        await Task.WhenAll(a, b);
    }

    [Fact]
    public async Task Cancelled_waiter_leaves_the_queue_and_frees_its_place()
    {
        var limiter = new HashLimiter(concurrency: 1, queue: 1);
        using var gate = new ManualResetEventSlim();
        using var cts = new CancellationTokenSource();
        var running = limiter.RunAsync(() => gate.Wait(TimeSpan.FromMinutes(1)), default);
        var waiting = limiter.RunAsync(() => true, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, limiter.Admitted);
        var next = limiter.RunAsync(() => true, default); // the freed place is usable again
        gate.Set();
        await running;
        Assert.True(await next);
    }

    [Fact]
    public async Task Exceptions_from_work_propagate_and_release_the_slot()
    {
        var limiter = new HashLimiter(concurrency: 1, queue: 0);
        await Assert.ThrowsAsync<InvalidOperationException>(() => limiter.RunAsync<int>(() => throw new InvalidOperationException(), default));
        Assert.Equal(0, limiter.Admitted);
        Assert.Equal(1, await limiter.RunAsync(() => 1, default));
    }

    [Fact]
    public async Task Hasher_reports_503_when_its_limiter_is_full()
    {
        var options = HashingOptions.From(HashingOptionsTests.ConfigFrom("hashers: {bcrypt: {cost: 4}}\nwarden: {hashing: {max_concurrency: 1, max_queue: 0}}", dev: true));
        var hasher = new PasswordHasher(options);
        using var gate = new ManualResetEventSlim();
        var blocker = hasher.Limiter.RunAsync(() => gate.Wait(TimeSpan.FromMinutes(1)), default);
        var e = await Assert.ThrowsAsync<ApiException>(() => hasher.VerifyAsync("pw", "$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6"));
        Assert.Equal(503, e.Code);
        gate.Set();
        await blocker;
    }

    [Fact]
    public async Task Hashes_run_on_the_limiters_own_threads_not_the_thread_pool()
    {
        // A hash on a pool thread starves the requests around it when the pool is small (one core).
        var limiter = new HashLimiter(concurrency: 1, queue: 0);
        Assert.False(await limiter.RunAsync(() => Thread.CurrentThread.IsThreadPoolThread, default));
    }

    [Fact]
    public async Task Never_more_hashes_at_once_or_threads_than_the_concurrency()
    {
        var limiter = new HashLimiter(concurrency: 2, queue: 8);
        using var gate = new ManualResetEventSlim();
        using var twoRunning = new CountdownEvent(2);
        int running = 0, most = 0;
        var calls = Enumerable.Range(0, 10).Select(i => limiter.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            if (!twoRunning.IsSet) twoRunning.Signal();
            gate.Wait(TimeSpan.FromMinutes(1));
            Interlocked.Decrement(ref running);
            return i;
        }, default)).ToList();
        twoRunning.Wait(TimeSpan.FromMinutes(1));
        Assert.Equal(10, limiter.Admitted);
        Assert.Equal(2, limiter.Threads);
        gate.Set();
        Assert.Equal(Enumerable.Range(0, 10), await Task.WhenAll(calls));
        Assert.Equal(2, most);
        Assert.True(limiter.Threads <= 2);
        Assert.Equal(0, limiter.Admitted);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
