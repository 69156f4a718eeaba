using Warden.Courier;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Courier;

/// <summary>
/// The worker inside serve does not poll an idle queue every second: the outbox wakes it when a queuing
/// transaction commits, and otherwise it sleeps until the next retry or expired claim falls due.
/// </summary>
public sealed class CourierIdleTests
{
    private static async Task SetAsync(CourierHarness h, Guid id, string status, DateTime? next, DateTime? claimedUntil) =>
        await h.Db.WriteAsync("UPDATE courier_messages SET status = @status, next_attempt_at = @next, claimed_until = @claimedUntil WHERE id = @id",
            new { id, status, next, claimedUntil });

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task An_idle_worker_sleeps_until_the_next_message_falls_due(string dialect)
    {
        // SMTP is configured (nothing listens there), so e-mails are the worker's to send.
        await using var h = await CourierHarness.CreateAsync(dialect, "smtp://127.0.0.1:9/");
        var worker = h.Worker();
        var now = h.Clock.Now.UtcDateTime;
        Assert.Equal(CourierWorker.IdleLook, await worker.IdleWaitAsync(default));

        var id = await h.QueueAsync("ada@example.org");
        await SetAsync(h, id, "queued", now.AddSeconds(25), null);
        Assert.Equal(TimeSpan.FromSeconds(25), await worker.IdleWaitAsync(default));

        // Due already (or due without a time): the shortest pause, pull_wait, never a busy loop.
        await SetAsync(h, id, "queued", now.AddSeconds(-5), null);
        Assert.Equal(h.Options.PullWait, await worker.IdleWaitAsync(default));
        await SetAsync(h, id, "queued", null, null);
        Assert.Equal(h.Options.PullWait, await worker.IdleWaitAsync(default));

        // Claimed by a worker that may have died: due when the claim expires, but never later than IdleLook.
        await SetAsync(h, id, "processing", null, now.AddSeconds(40));
        Assert.Equal(TimeSpan.FromSeconds(40), await worker.IdleWaitAsync(default));
        await SetAsync(h, id, "processing", null, now.AddMinutes(5));
        Assert.Equal(CourierWorker.IdleLook, await worker.IdleWaitAsync(default));

        // Finished messages are not waited for.
        await SetAsync(h, id, "sent", now.AddSeconds(-5), null);
        Assert.Equal(CourierWorker.IdleLook, await worker.IdleWaitAsync(default));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Mail_nothing_can_send_does_not_wake_the_worker(string dialect)
    {
        await using var h = await CourierHarness.CreateAsync(dialect, smtpUri: null);
        var id = await h.QueueAsync("ada@example.org");
        await SetAsync(h, id, "queued", h.Clock.Now.UtcDateTime.AddSeconds(-5), null);
        Assert.Equal(CourierWorker.IdleLook, await h.Worker().IdleWaitAsync(default));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_message_queued_in_a_transaction_wakes_the_idle_worker_when_it_commits(string dialect)
    {
        // Two connections: with a pool of one, the woken worker would wait for the test's transaction to end.
        await using var h = await CourierHarness.CreateAsync(dialect, "smtp://127.0.0.1:9/", connections: 2);
        using var stop = new CancellationTokenSource();
        var running = h.Worker().RunAsync(stop.Token, wokenByOutbox: true);
        try
        {
            // Let the worker find the queue empty and go to sleep for IdleLook (a minute).
            await Task.Delay(500);
            var id = await h.Db.InTransactionAsync(async (c, tx) =>
            {
                var queued = await h.Outbox.EnqueueEmailAsync("ada@example.org", "recovery_code_valid", CourierHarness.CodeModel("ada@example.org", "1"), c, tx);
                // Still uncommitted: a worker woken now would find nothing (PostgreSQL) and sleep on.
                await Task.Delay(300);
                return queued;
            });
            // Nothing listens at the SMTP address, so the attempt fails at once and is counted.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while ((await h.GetAsync(id)).SendCount == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the worker was not woken by the commit");
                await Task.Delay(50);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task After_commit_work_runs_once_committed_and_never_after_a_rollback(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect, minConnections: 2);
        var seen = new List<long>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES ('t1', 't', 'now')", null, tx);
            db.AfterCommit(tx, () => seen.Add(-1));
            throw new InvalidOperationException("rolled back");
        }));
        await db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES ('t2', 't', 'now')", null, tx);
            db.AfterCommit(tx, () =>
            {
                // Runs after the commit: another connection already sees the row.
                using var other = db.OpenAsync().GetAwaiter().GetResult();
                seen.Add(other.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM warden_migrations WHERE version = 't2'").GetAwaiter().GetResult());
            });
            Assert.Empty(seen);
        });
        Assert.Equal([1L], seen);
        // The next transaction (drivers reuse transaction objects) starts with nothing queued.
        await db.InTransactionAsync((c, tx) => c.ExecuteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES ('t3', 't', 'now')", null, tx));
        Assert.Equal([1L], seen);
    }
}
