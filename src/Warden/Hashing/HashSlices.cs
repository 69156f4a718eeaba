namespace Warden.Hashing;

/// <summary>
/// The time slice the process asks the kernel for while it hashes (<c>warden.hashing.time_slice</c>; see
/// <see cref="TimeSlice"/> for why). Off by default: measured on one saturated core (round 6), argon2id logins
/// gained 10-20 % but a whoami sent during the login storm waited for the running hash, p50 0.9 -> 9 ms and p99
/// 6-11 -> 27-53 ms; an operator chooses that trade. <c>auto</c> turns it on for argon2 only: bcrypt and PBKDF2
/// work in a few KiB that stay in the core's own cache, so cutting them into pieces costs nothing, while a long
/// slice would make other requests wait behind a bcrypt hash. The automatic slice is one and a half times the
/// slowest hash seen so far (at least 4 ms, at most the kernel's 100 ms), so a hash normally runs without being
/// cut; it only grows, and is set again when a slower hash needs a quarter more.
/// </summary>
internal sealed class HashSlices
{
    public static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(4);
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(100);

    private readonly TimeSpan? _fixed;
    private readonly Action<TimeSpan> _apply;
    private readonly Lock _lock = new();
    private long _appliedTicks;

    private HashSlices(bool active, TimeSpan? fixedSlice, Action<TimeSpan>? apply)
    {
        Active = active;
        _fixed = fixedSlice;
        _apply = apply ?? (slice => TimeSlice.ApplyToProcess(slice));
    }

    public static HashSlices Off { get; } = new(false, null, null);

    /// <summary>Sized from the hashes themselves.</summary>
    public static HashSlices Auto(Action<TimeSpan>? apply = null) => new(true, null, apply);

    /// <summary>Always this slice (clamped to what the kernel accepts).</summary>
    public static HashSlices Fixed(TimeSpan slice, Action<TimeSpan>? apply = null) => new(true, Clamp(slice), apply);

    /// <summary>Whether hash threads should make way for queued request work between two hashes.</summary>
    public bool Active { get; }

    /// <summary>The slice last asked for (zero before the first hash or when off).</summary>
    public TimeSpan Applied => TimeSpan.FromTicks(Volatile.Read(ref _appliedTicks));

    /// <summary>Called by a hash thread after each hash with how long it took.</summary>
    public void Observed(TimeSpan hash)
    {
        if (!Active) return;
        var want = _fixed ?? Clamp(hash * 1.5);
        // Checked before the lock so the usual case (nothing to change) costs one read, and again under it.
        if (Enough(Volatile.Read(ref _appliedTicks), want)) return;
        lock (_lock)
        {
            if (Enough(_appliedTicks, want)) return;
            _apply(want);
            Volatile.Write(ref _appliedTicks, want.Ticks);
        }
    }

    /// <summary>A fixed slice is asked for once; an automatic one again when it needs a quarter more.</summary>
    private bool Enough(long appliedTicks, TimeSpan want) =>
        appliedTicks != 0 && (_fixed is not null || want.Ticks <= appliedTicks + appliedTicks / 4);

    private static TimeSpan Clamp(TimeSpan slice) => slice < Shortest ? Shortest : slice > Longest ? Longest : slice;
}
