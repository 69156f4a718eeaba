using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Courier.Delivery;

namespace Warden.Courier;

/// <summary>
/// Delivers queued messages: claims a batch, sends each, records every attempt. Runs inside <c>serve</c>
/// (<see cref="CourierHostedService"/>) and as <c>courier watch</c>; any number of workers may share a
/// database. Delivery is at least once: a worker that dies after the server accepted a message but before
/// marking it sent leaves it to be re-sent when its claim expires; a message marked sent is never sent again.
/// </summary>
public sealed class CourierWorker
{
    private readonly CourierStore _store;
    private readonly CourierOptions _options;
    private readonly CourierSignal _signal;
    private readonly ILogger _log;
    private readonly EmailSender? _email;
    private readonly SmsSender _sms;
    private readonly string[] _types;
    private readonly TimeProvider _clock;

    /// <summary>How often an idle worker inside serve looks for messages nothing told it about (see RunAsync).</summary>
    public static readonly TimeSpan IdleLook = TimeSpan.FromMinutes(1);

    public CourierWorker(CourierStore store, CourierOptions options, CourierSignal signal, ILoggerFactory logs, TimeProvider clock)
    {
        _store = store;
        _options = options;
        _signal = signal;
        _log = logs.CreateLogger("Warden.Courier");
        _clock = clock;
        _email = options.Smtp is { } smtp && !options.EmailOverHttp ? new EmailSender(smtp, clock) : null;
        _sms = new SmsSender(options.SmsChannel);
        // Without a way to send e-mail, e-mails are left alone (queued) rather than failed and abandoned.
        _types = _email is null ? ["sms"] : ["email", "sms"];
        // Unique per worker (not per host): two workers in one process must not share claims.
        var id = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        Id = id.Length <= 64 ? id : id[^64..];
    }

    public string Id { get; }

    /// <summary>How long a claim lasts: long enough for a whole batch to time out message by message.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(60, _options.PullCount * ((_options.Smtp?.Timeout.TotalSeconds ?? 30) + 10)));

    /// <summary>Runs until <paramref name="ct"/> is cancelled; on the way out returns unfinished claims to the queue.</summary>
    /// <param name="wokenByOutbox">
    /// True inside serve, where every message the process queues wakes the worker when its transaction commits
    /// (<see cref="CourierSignal"/>). An idle worker then sleeps until the next retry or expired claim falls due,
    /// and looks at least every <see cref="IdleLook"/> for messages other programs queued: polling every second
    /// kept an idle server's database busy and made the runtime compile the polling code again, optimized,
    /// which grew an idle PostgreSQL server by 7 MB in its first minute. False (courier watch, whose messages
    /// all come from other processes): it polls every pull_wait, as Kratos' worker does.
    /// </param>
    public async Task RunAsync(CancellationToken ct, bool wokenByOutbox = false)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int handled;
                try
                {
                    handled = await RunOnceAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // The database may be briefly unreachable; keep the worker alive and try again later.
                    _log.LogError("Courier round failed: {Error}", e.Message);
                    handled = 0;
                }
                if (handled < _options.PullCount) await _signal.WaitAsync(wokenByOutbox ? await IdleWaitAsync(ct) : _options.PullWait, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            try { await _store.ReleaseAsync(Id, CancellationToken.None); }
            catch (Exception e) { _log.LogWarning("Courier could not release its claims ({Error}); they expire by themselves", e.Message); }
        }
    }

    /// <summary>
    /// Kratos compat: pull_wait stays the shortest pause between rounds; the longest, while nothing is due, is
    /// <see cref="IdleLook"/> (or pull_wait when that is longer).
    /// </summary>
    internal async Task<TimeSpan> IdleWaitAsync(CancellationToken ct)
    {
        DateTime? due;
        try
        {
            due = await _store.NextDueAsync(_types, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return _options.PullWait; // the database is away: try again soon, as after a failed round
        }
        var longest = _options.PullWait > IdleLook ? _options.PullWait : IdleLook;
        if (due is null) return longest;
        var wait = due.Value - _clock.GetUtcNow().UtcDateTime;
        return wait < _options.PullWait ? _options.PullWait : wait > longest ? longest : wait;
    }

    /// <summary>One round: claim due messages and deliver them. Returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var batch = await _store.ClaimAsync(Id, _types, _options.PullCount, Lease, ct);
        foreach (var m in batch)
        {
            ct.ThrowIfCancellationRequested();
            await DeliverAsync(m, ct);
        }
        return batch.Count;
    }

    private async Task DeliverAsync(MessageRow m, CancellationToken ct)
    {
        try
        {
            if (m.Type == "email")
            {
                if (_email is null) throw new DeliveryException("no SMTP server is configured (courier.smtp.connection_uri)");
                await _email.SendAsync(m, ct);
            }
            else if (m.Type == "sms")
            {
                await _sms.SendAsync(m, ct);
            }
            else
            {
                throw new DeliveryException($"unknown message type '{m.Type}'", permanent: true);
            }
        }
        catch (DeliveryException e)
        {
            await FailAsync(m, e.Message, e.Permanent);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _log.LogError("Courier: unexpected {Exception} delivering message {Id}", e.GetType().Name, m.Id);
            await FailAsync(m, "internal error while delivering: " + e.GetType().Name, permanent: false);
            return;
        }
        // Accepted by the server: record that even if shutdown was requested meanwhile.
        await _store.MarkSentAsync(m.Id, CancellationToken.None);
        _log.LogInformation("Courier delivered {Type} message {Id} ({Template})", m.Type, m.Id, m.TemplateType);
    }

    private async Task FailAsync(MessageRow m, string error, bool permanent)
    {
        var failures = m.SendCount + 1;
        var status = await _store.MarkFailedAsync(m.Id, Id, new JsonObject { ["message"] = error }.ToJsonString(),
            _options.MessageRetries, _options.Backoff(failures), permanent, CancellationToken.None);
        if (status == MessageStatus.Abandoned)
            _log.LogWarning("Courier abandoned {Type} message {Id} after {Attempts} attempt(s): {Error}", m.Type, m.Id, failures, error);
        else if (status is not null)
            _log.LogWarning("Courier attempt {Attempt} for message {Id} failed, retrying later: {Error}", failures, m.Id, error);
    }
}

/// <summary>Wakes the worker when a message is queued, so delivery does not wait for the next poll.</summary>
public sealed class CourierSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try { _semaphore.Release(); } catch (SemaphoreFullException) { }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct) => await _semaphore.WaitAsync(timeout, ct);
}
