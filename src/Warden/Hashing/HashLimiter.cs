using Warden.Http;

namespace Warden.Hashing;

/// <summary>
/// Bounds hashing work: at most <c>concurrency</c> computations run at once on the thread pool and at most
/// <c>queue</c> more callers wait for a slot. Anyone beyond that is turned away with 503 immediately, so a
/// burst of logins costs a fixed amount of memory (argon2 allocates its whole working set per hash) instead
/// of piling up until the process is killed.
/// </summary>
internal sealed class HashLimiter
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private int _admitted;

    public HashLimiter(int concurrency, int queue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queue);
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _capacity = concurrency + queue;
    }

    /// <summary>Callers currently running or waiting (for tests and diagnostics).</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        // Admission is decided synchronously, before the first await, so rejection does not depend on timing.
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            throw ApiException.Unavailable("Too many password checks are in progress right now. Please try again in a moment.");
        }
        try
        {
            await _slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                // Once started, a hash runs to completion: it cannot be interrupted half-way anyway.
                return await Task.Run(work, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }
}
