using System.Diagnostics;
using Microsoft.AspNetCore.Builder;

namespace Warden.Hashing;

/// <summary>
/// How many requests the process is working on, not counting those parked in the hash queue: zero means the rest
/// of the server has nothing to do right now, so a hash batch started then runs without request work cut into it.
/// Requests enter and leave through <see cref="Middleware"/> (both listeners); the hash limiter takes a request out
/// while it waits for its hash and puts it back after. A hash for a caller outside any request (an import) takes
/// the count below zero for a while, which reads as quiet, as it should.
/// </summary>
internal sealed class RequestGauge
{
    private readonly object _gate = new();
    private int _busy;
    private int _waiters;

    /// <summary>Requests in progress and not waiting for a hash (can dip below zero, see the class notes).</summary>
    public int Busy => Volatile.Read(ref _busy);

    public void Enter() => Interlocked.Increment(ref _busy);

    public void Exit()
    {
        // The lock is only taken when a hash thread waits and the count reached zero: once per batch, not per request.
        if (Interlocked.Decrement(ref _busy) <= 0 && Volatile.Read(ref _waiters) > 0)
            lock (_gate) Monitor.PulseAll(_gate);
    }

    /// <summary>
    /// Waits until no request has been in progress for <paramref name="linger"/>, for at most <paramref name="max"/>.
    /// The linger bridges the moment between two requests of one client (a response sent, the next request not yet
    /// read). Monitor.Wait blocks without spinning: on one core, spinning here would take the very CPU the requests
    /// need to finish.
    /// </summary>
    public bool WaitQuiet(TimeSpan max, TimeSpan linger)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(max.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            Interlocked.Increment(ref _waiters);
            try
            {
                while (true)
                {
                    var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                    if (left <= TimeSpan.Zero) return Busy <= 0;
                    if (Busy > 0)
                    {
                        Monitor.Wait(_gate, left);
                        continue;
                    }
                    // Quiet now: stay so for the linger (nothing pulses while it lasts, so this is a plain sleep).
                    Monitor.Wait(_gate, linger < left ? linger : left);
                    if (Busy <= 0) return true;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    /// <summary>Counts every request of one listener, registered only when hash batching is on.</summary>
    internal sealed class Middleware(RequestGauge gauge, bool isPublic) : IMiddlewareContributor
    {
        public bool Public => isPublic;

        public void Configure(IApplicationBuilder app) => app.Use(async (context, next) =>
        {
            gauge.Enter();
            try
            {
                await next(context);
            }
            finally
            {
                gauge.Exit();
            }
        });
    }
}
