using Warden.Config;

namespace Warden.Sessions.Cache;

/// <summary>
/// <c>warden.session_cache</c> (a Warden extension): whoami answers kept in memory.
/// <c>enabled</c> (default true); <c>max_entries</c>, sessions held at once (default 100,000, about 1.5 KB
/// each); <c>max_age</c>, how long one answer is reused before the database is asked again (default 5m: the
/// change feed keeps answers fresh, the age only bounds what an unforeseen write path could leave behind);
/// <c>poll_interval</c>, how often a SQLite deployment reads the change log written by other processes
/// (default 1s; PostgreSQL is told by LISTEN/NOTIFY instead and does not poll).
/// </summary>
public sealed record SessionCacheOptions
{
    public bool Enabled { get; init; } = true;
    public int MaxEntries { get; init; } = 100_000;
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static SessionCacheOptions From(WardenConfig config)
    {
        var s = config.Section<Section>("warden.session_cache");
        var o = new SessionCacheOptions();
        var max = s.MaxEntries ?? o.MaxEntries;
        if (max < 1) throw new ConfigException("warden.session_cache.max_entries", "must be at least 1 (use enabled: false to switch the cache off)");
        var age = s.MaxAge ?? o.MaxAge;
        if (age <= TimeSpan.Zero) throw new ConfigException("warden.session_cache.max_age", "must be a positive duration such as 1m");
        var poll = s.PollInterval ?? o.PollInterval;
        if (poll < TimeSpan.FromMilliseconds(10) || poll > TimeSpan.FromMinutes(1))
            throw new ConfigException("warden.session_cache.poll_interval", "must be between 10ms and 1m");
        return new SessionCacheOptions { Enabled = s.Enabled ?? true, MaxEntries = max, MaxAge = age, PollInterval = poll };
    }

    private sealed class Section
    {
        public bool? Enabled { get; set; }
        public int? MaxEntries { get; set; }
        public TimeSpan? MaxAge { get; set; }
        public TimeSpan? PollInterval { get; set; }
    }
}
