using System.Text.Json.Nodes;
using Warden.Courier;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Courier;

/// <summary>The outbox and the worker on both databases, delivering to a real SMTP server.</summary>
public sealed class CourierDeliveryTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_message_is_queued_only_when_the_callers_transaction_commits(string dialect)
    {
        await using var h = await CourierHarness.CreateAsync(dialect, smtpUri: null);
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Db.InTransactionAsync(async (c, tx) =>
        {
            await h.Outbox.EnqueueEmailAsync("gone@example.org", "recovery_code_valid", CourierHarness.CodeModel("gone@example.org", "111111"), c, tx);
            throw new InvalidOperationException("flow change failed");
        }));
        var id = await h.Db.InTransactionAsync((c, tx) =>
            h.Outbox.EnqueueEmailAsync("kept@example.org", "recovery_code_valid", CourierHarness.CodeModel("kept@example.org", "222222"), c, tx));

        var (all, _) = await h.Store.ListAsync(null, null, null, 10);
        var m = Assert.Single(all);
        Assert.Equal(id, m.Id);
        Assert.Equal(("email", "queued", "kept@example.org", "recovery_code_valid", 0), (m.Type, m.Status, m.Recipient, m.TemplateType, m.SendCount));
        Assert.Contains("222222", m.Body);
        Assert.Contains("222222", m.HtmlBody);
        Assert.Equal("Your account recovery code", m.Subject);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task The_worker_delivers_once_and_never_resends_a_sent_message(string dialect)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var h = await CourierHarness.CreateAsync(dialect, smtp.ConnectionUri);
        var id = await h.QueueAsync("ada@example.org", "135790");
        var worker = h.Worker();

        Assert.Equal(1, await worker.RunOnceAsync());
        var mail = await smtp.WaitForMessageAsync("ada@example.org");
        Assert.Contains("135790", mail.Text);
        Assert.Contains("135790", mail.Html);
        Assert.Equal("Your account recovery code", mail.Subject);

        var m = await h.GetAsync(id);
        Assert.Equal(("sent", 1), (m.Status, m.SendCount));
        var d = Assert.Single(await h.Store.DispatchesAsync(id));
        Assert.Equal(("success", null), (d.Status, d.Error));

        // Later rounds, even long after, find nothing to send.
        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await worker.RunOnceAsync());
        Assert.Equal(0, await h.Worker().RunOnceAsync());
        Assert.Single(smtp.MessagesTo("ada@example.org"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Smtp_down_keeps_the_message_queued_until_the_server_returns(string dialect)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var h = await CourierHarness.CreateAsync(dialect, smtp.ConnectionUri);
        var id = await h.QueueAsync("bob@example.org", "246810");
        var worker = h.Worker();
        await smtp.StopAsync();

        Assert.Equal(1, await worker.RunOnceAsync());
        var m = await h.GetAsync(id);
        Assert.Equal(("queued", 1), (m.Status, m.SendCount));
        Assert.Equal(h.Clock.Now.UtcDateTime + h.Options.Backoff(1), m.NextAttemptAt);
        var failed = Assert.Single(await h.Store.DispatchesAsync(id));
        Assert.Equal("failed", failed.Status);
        Assert.Contains("cannot connect", JsonNode.Parse(failed.Error!)!["message"]!.GetValue<string>());

        // Not due yet: the backoff holds it back.
        Assert.Equal(0, await worker.RunOnceAsync());

        await smtp.RestartAsync();
        h.Clock.Advance(h.Options.Backoff(1));
        Assert.Equal(1, await worker.RunOnceAsync());
        Assert.Contains("246810", (await smtp.WaitForMessageAsync("bob@example.org")).Text);
        m = await h.GetAsync(id);
        Assert.Equal(("sent", 2), (m.Status, m.SendCount));
        Assert.Equal(["failed", "success"], (await h.Store.DispatchesAsync(id)).Select(x => x.Status));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_message_is_abandoned_after_the_retry_limit(string dialect)
    {
        var smtp = await SmtpServer.StartAsync();
        var uri = smtp.ConnectionUri;
        await smtp.DisposeAsync();
        await using var h = await CourierHarness.CreateAsync(dialect, uri, retries: 2);
        var id = await h.QueueAsync("carol@example.org");
        var worker = h.Worker();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(1, await worker.RunOnceAsync());
            h.Clock.Advance(TimeSpan.FromHours(1));
        }
        var m = await h.GetAsync(id);
        Assert.Equal(("abandoned", 3), (m.Status, m.SendCount));
        Assert.All(await h.Store.DispatchesAsync(id), d => Assert.Equal("failed", d.Status));
        Assert.Equal(3, (await h.Store.DispatchesAsync(id)).Count);
        Assert.Equal(0, await worker.RunOnceAsync());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_crashed_workers_claim_expires_and_another_worker_delivers(string dialect)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var h = await CourierHarness.CreateAsync(dialect, smtp.ConnectionUri);
        var id = await h.QueueAsync("dave@example.org", "975310");
        // A worker claims the message and dies before sending it.
        var claimed = await h.Store.ClaimAsync("crashed-worker", ["email"], 10, TimeSpan.FromMinutes(5));
        Assert.Equal(id, Assert.Single(claimed).Id);
        Assert.Equal("processing", (await h.GetAsync(id)).Status);

        var survivor = h.Worker();
        Assert.Equal(0, await survivor.RunOnceAsync());
        h.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await survivor.RunOnceAsync());
        Assert.Contains("975310", (await smtp.WaitForMessageAsync("dave@example.org")).Text);
        Assert.Equal("sent", (await h.GetAsync(id)).Status);
        // The dead worker's late failure report cannot undo that.
        Assert.Null(await h.Store.MarkFailedAsync(id, "crashed-worker", "{}", 5, TimeSpan.Zero, abandon: false));
        Assert.Equal("sent", (await h.GetAsync(id)).Status);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Stopping_a_worker_returns_its_claims_to_the_queue(string dialect)
    {
        await using var h = await CourierHarness.CreateAsync(dialect, smtpUri: null);
        var id = await h.QueueAsync("erin@example.org");
        Assert.Single(await h.Store.ClaimAsync("w1", ["email"], 10, TimeSpan.FromMinutes(5)));
        await h.Store.ReleaseAsync("w1");
        var m = await h.GetAsync(id);
        Assert.Equal(("queued", 0, null), (m.Status, m.SendCount, m.ClaimedBy));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Without_smtp_emails_stay_queued_and_sms_without_a_channel_is_abandoned(string dialect)
    {
        await using var h = await CourierHarness.CreateAsync(dialect, smtpUri: null);
        var email = await h.QueueAsync("frank@example.org");
        var sms = await h.Outbox.EnqueueSmsAsync("+15550100", "verification_code_valid", new JsonObject { ["VerificationCode"] = "314159" });
        Assert.Contains("314159", (await h.GetAsync(sms)).Body);

        Assert.Equal(1, await h.Worker().RunOnceAsync());
        Assert.Equal(("queued", 0), ((await h.GetAsync(email)).Status, (await h.GetAsync(email)).SendCount));
        var m = await h.GetAsync(sms);
        Assert.Equal(("abandoned", 1), (m.Status, m.SendCount));
        Assert.Contains("no SMS channel", Assert.Single(await h.Store.DispatchesAsync(sms)).Error);
    }
}
