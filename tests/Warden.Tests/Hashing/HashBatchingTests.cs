using System.Net;
using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Hashing;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.Hashing;

/// <summary>
/// Hash batching (<c>warden.hashing.batch</c>): when it is on, the request gauge the hash threads wait on, and what
/// a batch guarantees its callers. The tests hold work open with gates rather than timing anything.
/// </summary>
public sealed class HashBatchingTests
{
    private static HashingOptions Options(string yaml) => HashingOptions.From(HashingOptionsTests.ConfigFrom(yaml));

    [Fact]
    public void Off_is_the_default_auto_needs_argon2_beside_a_local_database_and_on_is_on()
    {
        const string local = "sqlite://warden.db", remote = "postgres://u@db.internal:5432/w";
        Assert.Equal("off", Options("hashers: {algorithm: argon2}").Batch);
        Assert.False(Options("hashers: {algorithm: argon2}").Batches(local));
        var auto = Options("hashers: {algorithm: argon2}\nwarden: {hashing: {batch: auto}}");
        Assert.True(auto.Batches(local));
        Assert.False(auto.Batches(remote));
        Assert.False(Options("hashers: {algorithm: bcrypt}\nwarden: {hashing: {batch: auto}}").Batches(local));
        var on = Options("hashers: {algorithm: bcrypt}\nwarden: {hashing: {batch: on}}");
        Assert.True(on.Batches(remote));
        var e = Assert.Throws<ConfigException>(() => Options("warden: {hashing: {batch: sometimes}}"));
        Assert.Contains("warden.hashing.batch", e.Message);
    }

    [Theory]
    [InlineData("memory", true)]
    [InlineData("sqlite://warden.db?_fk=true", true)]
    [InlineData("sqlite3:///var/lib/warden/db.sqlite", true)]
    [InlineData("postgres://warden:secret@127.0.0.1:5432/warden?sslmode=disable", true)]
    [InlineData("postgresql://warden@localhost/warden", true)]
    [InlineData("postgres://warden@[::1]:5432/warden", true)]
    [InlineData("postgres://warden@db.example.com:5432/warden", false)]
    [InlineData("postgres://warden@10.0.0.7/warden", false)]
    [InlineData("postgres://warden@127.0.0.2/warden", true)]
    [InlineData("postgres://warden@/warden?host=/var/run/postgresql", true)]
    [InlineData("postgres://warden@db.example.com/warden?host=127.0.0.1", true)]
    [InlineData("postgres://warden@127.0.0.1/warden?host=db.example.com", false)]
    [InlineData("postgres:///warden", false)]
    [InlineData("not a url", false)]
    public void A_database_is_local_when_in_process_or_on_a_loopback_address(string dsn, bool local) =>
        Assert.Equal(local, HashBatching.DatabaseIsLocal(dsn));

    [Fact]
    public async Task The_gauge_wakes_its_waiter_when_the_last_request_leaves()
    {
        var gauge = new RequestGauge();
        gauge.Enter();
        gauge.Enter();
        Assert.False(gauge.WaitQuiet(TimeSpan.Zero, TimeSpan.Zero), "two requests are in progress");
        var waiter = Task.Run(() => gauge.WaitQuiet(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(1)));
        gauge.Exit();
        Assert.False(waiter.IsCompleted, "one request is still in progress");
        gauge.Exit();
        // Well before the minute: the last Exit pulses the waiter.
        Assert.True(await waiter.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, gauge.Busy);
    }

    [Fact]
    public async Task A_request_waiting_for_its_hash_does_not_count_as_busy()
    {
        var gauge = new RequestGauge();
        var limiter = new HashLimiter(concurrency: 1, queue: 4, batching: HashBatching.On(gauge));
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        gauge.Enter(); // the request that asks for the hash
        var hashing = limiter.RunAsync(() => { started.Set(); gate.Wait(); return gauge.Busy; }, default);
        started.Wait();
        Assert.Equal(0, gauge.Busy);
        gate.Set();
        Assert.Equal(0, await hashing);
        Assert.Equal(1, gauge.Busy); // back in progress once its hash is done
        gauge.Exit();
    }

    [Fact]
    public async Task Hashes_queued_behind_a_running_one_finish_with_it_and_failures_stay_with_their_caller()
    {
        // A long hold, so a slow machine cannot close the batch between the first hash and the queued ones.
        var limiter = new HashLimiter(concurrency: 1, queue: 4, batching: HashBatching.On(new RequestGauge(), TimeSpan.FromMinutes(5)));
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var first = limiter.RunAsync(() => { started.Set(); gate.Wait(); return 1; }, default);
        started.Wait();
        // Queued while the first runs: the same thread runs them next, before the first caller is released.
        var firstDoneWhenSecondRan = new TaskCompletionSource<bool>();
        var second = limiter.RunAsync(() => { firstDoneWhenSecondRan.SetResult(first.IsCompleted); return 2; }, default);
        var third = limiter.RunAsync<int>(() => throw new InvalidOperationException("bad input"), default);
        gate.Set();
        Assert.False(await firstDoneWhenSecondRan.Task);
        Assert.Equal(1, await first);
        Assert.Equal(2, await second);
        await Assert.ThrowsAsync<InvalidOperationException>(() => third);
        Assert.Equal(0, limiter.Admitted);
    }

    [Fact]
    public async Task Logins_work_with_batching_on_and_leave_the_gauge_at_zero()
    {
        await using var s = await StartAsync("sqlite", tweak: c =>
            c["warden"] = new JsonObject { ["hashing"] = new JsonObject { ["batch"] = "on" } });
        var hasher = s.Service<PasswordHasher>();
        Assert.True(hasher.Limiter.Batching.Active);
        var email = Email();
        await RegisterNative(s, email);
        var flow = await NativeFlow(s, "login");
        var logins = Enumerable.Range(0, 3).Select(async _ =>
        {
            var f = await NativeFlow(s, "login");
            return await s.Public.SendAsync(PostJson(Action(f), new JsonObject
            {
                ["method"] = "password", ["identifier"] = email, ["password"] = Password,
            }));
        }).ToList();
        foreach (var r in await Task.WhenAll(logins)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var wrong = await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "password", ["identifier"] = email, ["password"] = "not-" + Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        // A response can reach the client before the middleware that counted its request has unwound.
        var gauge = hasher.Limiter.Batching.Gauge!;
        for (var i = 0; i < 1000 && gauge.Busy != 0; i++) await Task.Delay(10);
        Assert.Equal(0, gauge.Busy);
    }
}
