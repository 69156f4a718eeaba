using System.Collections.Concurrent;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Courier;

/// <summary>Several workers on one database never hold, or send, the same message.</summary>
public sealed class CourierConcurrencyTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Concurrent_claims_never_overlap(string dialect)
    {
        await using var h = await CourierHarness.CreateAsync(dialect, smtpUri: null);
        const int count = 120;
        for (var i = 0; i < count; i++) await h.QueueAsync($"user{i}@example.org");

        var claims = new ConcurrentBag<(string Worker, Guid Id)>();
        var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await h.Store.ClaimAsync($"w{w}", ["email"], 7, TimeSpan.FromMinutes(5));
                if (batch.Count == 0) return;
                foreach (var m in batch) claims.Add(($"w{w}", m.Id));
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(count, claims.Count);
        Assert.Equal(count, claims.Select(c => c.Id).Distinct().Count());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Parallel_workers_deliver_every_message_exactly_once(string dialect)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var h = await CourierHarness.CreateAsync(dialect, smtp.ConnectionUri, courier: new() { ["worker"] = new System.Text.Json.Nodes.JsonObject { ["pull_count"] = 3 } });
        const int count = 24;
        for (var i = 0; i < count; i++) await h.QueueAsync($"p{i}@example.org", $"{100000 + i}");

        var workers = Enumerable.Range(0, 4).Select(_ => h.Worker()).ToList();
        await Task.WhenAll(workers.Select(w => Task.Run(async () => { while (await w.RunOnceAsync() > 0) { } })));

        for (var i = 0; i < count; i++) Assert.Contains($"{100000 + i}", (await smtp.WaitForMessageAsync($"p{i}@example.org")).Text);
        Assert.Equal(count, smtp.Messages().Count);
        var (sent, _) = await h.Store.ListAsync("sent", null, null, 100);
        Assert.Equal(count, sent.Count);
    }
}
