namespace Warden.Observability;

/// <summary>
/// What the whoami cache did, as plain counters: a hit costs one increment, so they stay on in production. They
/// answer the one question a slow whoami raises (did it read the database, and why) without a profiler.
/// </summary>
internal sealed class CacheCounters
{
    private long _hits, _misses, _notServing, _addsRefused, _trims, _trimmed, _feedEvictions;

    public long Hits => Interlocked.Read(ref _hits);
    /// <summary>Requests the cache could not answer while it was serving (not cached, aged out, expired).</summary>
    public long Misses => Interlocked.Read(ref _misses);
    /// <summary>Requests that went to the database because the change feed was not current.</summary>
    public long NotServing => Interlocked.Read(ref _notServing);
    /// <summary>Answers read from the database but not kept (an eviction raced them, or the identity just changed here).</summary>
    public long AddsRefused => Interlocked.Read(ref _addsRefused);
    public long Trims => Interlocked.Read(ref _trims);
    /// <summary>Entries dropped because the cache was full.</summary>
    public long Trimmed => Interlocked.Read(ref _trimmed);
    /// <summary>Identities evicted because the change feed reported a write by another process.</summary>
    public long FeedEvictions => Interlocked.Read(ref _feedEvictions);

    public void Hit() => Interlocked.Increment(ref _hits);
    public void Miss() => Interlocked.Increment(ref _misses);
    public void NotServingRead() => Interlocked.Increment(ref _notServing);
    public void AddRefused() => Interlocked.Increment(ref _addsRefused);
    public void FeedEviction() => Interlocked.Increment(ref _feedEvictions);

    public void Trim(int removed)
    {
        Interlocked.Increment(ref _trims);
        Interlocked.Add(ref _trimmed, removed);
    }
}
