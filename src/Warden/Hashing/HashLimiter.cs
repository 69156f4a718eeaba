using System.Collections.Concurrent;
using System.Diagnostics;
using Warden.Http;

namespace Warden.Hashing;

/// <summary>
/// Bounds hashing work: at most <c>concurrency</c> computations run at once and at most <c>queue</c> more
/// callers wait for a slot. Anyone beyond that is turned away with 503 immediately, so a burst of logins costs
/// a fixed amount of memory (argon2 allocates its whole working set per hash) instead of piling up until the
/// process is killed.
/// <para>
/// Hashes run on the limiter's own threads, one per slot, not on the thread pool. A hash holds its thread for
/// 20–250 ms; on the pool that looks like starvation (on one core the pool starts with a single worker, so the
/// requests around the hash wait until the pool injects threads) and the pool's spinning and injection cost
/// CPU the hash floor does not include. The threads are started on demand and end after a quiet period.
/// </para>
/// </summary>
internal sealed class HashLimiter
{
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(30);

    private readonly int _concurrency;
    private readonly int _capacity;
    private readonly ConcurrentQueue<IWork> _pending = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Lock _threadsLock = new();
    private int _threads;
    private int _admitted;

    public HashLimiter(int concurrency, int queue, HashSlices? slices = null, HashBatching? batching = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queue);
        _concurrency = concurrency;
        _capacity = concurrency + queue;
        Slices = slices ?? HashSlices.Off;
        Batching = batching ?? HashBatching.Off;
    }

    /// <summary>The time slice policy the hash threads report to (for tests and diagnostics).</summary>
    internal HashSlices Slices { get; }

    /// <summary>Whether hashes run in batches (for tests and diagnostics).</summary>
    internal HashBatching Batching { get; }

    /// <summary>Callers currently running or waiting (for tests and diagnostics).</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>Hash threads currently alive (for tests and diagnostics).</summary>
    public int Threads { get { lock (_threadsLock) return _threads; } }

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        // Admission is decided synchronously, before the first await, so rejection does not depend on timing.
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            throw ApiException.Unavailable("Too many password checks are in progress right now. Please try again in a moment.");
        }
        // A request waiting for its hash is not work the hash threads should wait for (HashBatching).
        var gauge = Batching.Gauge;
        gauge?.Exit();
        try
        {
            var item = new Work<T>(work);
            // A caller that gives up while queued leaves at once; its item is skipped when a thread reaches it.
            await using var registration = ct.CanBeCanceled ? ct.Register(static s => ((Work<T>)s!).Cancel(), item) : default;
            _pending.Enqueue(item);
            _signal.Release();
            EnsureThread();
            return await item.Task.ConfigureAwait(false);
        }
        finally
        {
            gauge?.Enter();
            Interlocked.Decrement(ref _admitted);
        }
    }

    private void EnsureThread()
    {
        lock (_threadsLock)
        {
            if (_threads >= _concurrency) return;
            _threads++;
        }
        new Thread(Loop) { IsBackground = true, Name = "warden-hash" }.Start();
    }

    private void Loop()
    {
        var batch = Batching.Active ? new List<IWork>(HashBatching.MaxBatch) : null;
        while (true)
        {
            if (!_signal.Wait(IdleExit))
            {
                // Decided under the lock EnsureThread takes after signalling, so work queued while this thread
                // leaves either sees it still counted (and is picked up by the Wait below) or starts a new one.
                lock (_threadsLock)
                {
                    if (_signal.CurrentCount == 0)
                    {
                        _threads--;
                        return;
                    }
                }
                continue;
            }
            if (batch is not null)
            {
                RunBatch(batch);
                continue;
            }
            // One signal per item, so the queue is never empty here.
            if (!_pending.TryDequeue(out var item)) continue;
            var started = Stopwatch.GetTimestamp();
            if (!item.Run()) continue;
            Slices.Observed(Stopwatch.GetElapsedTime(started));
            // With long slices the kernel no longer interrupts a hash for the requests that arrived meanwhile; let
            // them run now, between two hashes, rather than when this thread's slice runs out inside the next one.
            if (Slices.Active && _signal.CurrentCount > 0) Thread.Yield();
        }
    }

    /// <summary>
    /// Called holding one signal: waits for request work to settle, hashes what is queued by then and what arrives
    /// meanwhile (within the batch limits), then releases every caller of the batch at once.
    /// </summary>
    private void RunBatch(List<IWork> batch)
    {
        Batching.Gauge!.WaitQuiet(Batching.SettleFor, HashBatching.Linger);
        var started = Stopwatch.GetTimestamp();
        do
        {
            // One signal per item, so the queue is never empty here.
            if (!_pending.TryDequeue(out var item)) break;
            var t0 = Stopwatch.GetTimestamp();
            if (!item.Compute()) continue;
            var took = Stopwatch.GetElapsedTime(t0);
            Slices.Observed(took);
            Batching.Observed(took);
            batch.Add(item);
        }
        while (batch.Count < HashBatching.MaxBatch && Stopwatch.GetElapsedTime(started) < Batching.MaxHold && _signal.Wait(0));
        foreach (var done in batch) done.Complete();
        batch.Clear();
    }

    private interface IWork
    {
        /// <summary>False when the item had been cancelled and did no work.</summary>
        bool Run();

        /// <summary>As <see cref="Run"/>, keeping the outcome for <see cref="Complete"/>.</summary>
        bool Compute();

        /// <summary>Hands the kept outcome to the caller.</summary>
        void Complete();
    }

    private sealed class Work<T>(Func<T> work) : IWork
    {
        // Continuations go back to the thread pool: the hash thread is free for the next hash at once.
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _done.Task;

        public void Cancel() => _done.TrySetCanceled();

        private T? _result;
        private Exception? _error;

        public bool Run()
        {
            if (!Compute()) return false;
            Complete();
            return true;
        }

        public bool Compute()
        {
            // Cancelled while queued; once started, a hash runs to completion (it cannot be interrupted anyway).
            if (_done.Task.IsCompleted) return false;
            try
            {
                _result = work();
            }
            catch (Exception e)
            {
                _error = e;
            }
            return true;
        }

        public void Complete()
        {
            if (_error is not null) _done.TrySetException(_error);
            else _done.TrySetResult(_result!);
        }
    }
}
