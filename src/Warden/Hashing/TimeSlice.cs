using System.Runtime.InteropServices;

namespace Warden.Hashing;

/// <summary>
/// Asks Linux (6.12 and later, the EEVDF scheduler's custom slices) to give every thread of this process a longer
/// time slice: <c>sched_setattr</c> with <c>sched_runtime</c> for a SCHED_OTHER/BATCH thread. Threads started
/// later inherit the slice from the thread that starts them, so setting it on the threads alive now covers the
/// thread pool's future workers too.
/// <para>
/// Why: a memory-hard hash (argon2id with 19 MiB streams its whole working set through the caches) and the request
/// work around it were cut into pieces of 1-3 ms by the kernel's default slice, and on one core every switch
/// evicted the other side's working set: a login cost 2.2 ms beside the hash instead of 1.5 ms (bench round 6).
/// The kernel only lets a running thread finish its slice when no queued thread has a shorter one, so the slice
/// has to be on all threads, not just the hash threads. The price: on a saturated core a request can wait for the
/// running hash (at most one slice) instead of about 1.4 ms.
/// </para>
/// Older kernels ignore <c>sched_runtime</c> for these policies; real-time or deadline threads are left alone.
/// </summary>
internal static class TimeSlice
{
    private const int SchedOther = 0, SchedBatch = 3, SchedIdle = 5;

    // Layout of struct sched_attr up to sched_period (SCHED_ATTR_SIZE_VER0 = 48 bytes).
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
    }

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, long tid, ref SchedAttr attr, long sizeOrFlags, long flags);

    /// <summary>(sched_setattr, sched_getattr) for this architecture, or null where we do not know them.</summary>
    private static (long Set, long Get)? Numbers() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => (314, 315),
        Architecture.Arm64 => (274, 275),
        _ => null,
    };

    /// <summary>True where the call can be made at all (Linux on x64/arm64).</summary>
    public static bool Supported => OperatingSystem.IsLinux() && Numbers() is not null;

    /// <summary>
    /// Sets the slice (zero: back to the kernel's default) on every thread of the process. Returns how many threads
    /// took it; 0 where unsupported. Keeps each thread's policy and nice value.
    /// </summary>
    public static int ApplyToProcess(TimeSpan slice)
    {
        if (!Supported) return 0;
        var count = 0;
        string[] tasks;
        try { tasks = Directory.GetDirectories("/proc/self/task"); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        foreach (var dir in tasks)
            if (int.TryParse(Path.GetFileName(dir), out var tid) && Apply(tid, slice)) count++;
        return count;
    }

    /// <summary>Sets the slice on one thread (0 = the calling thread).</summary>
    public static bool Apply(int tid, TimeSpan slice)
    {
        if (Numbers() is not { } n) return false;
        var attr = new SchedAttr { Size = (uint)Marshal.SizeOf<SchedAttr>() };
        // A thread that exited between listing and here fails with ESRCH: nothing to do for it.
        if (Syscall(n.Get, tid, ref attr, Marshal.SizeOf<SchedAttr>(), 0) != 0) return false;
        if (attr.Policy is not (SchedOther or SchedBatch or SchedIdle)) return false;
        attr.Size = (uint)Marshal.SizeOf<SchedAttr>();
        attr.Flags = 0;
        attr.Runtime = (ulong)Math.Max(0, slice.Ticks) * 100;
        attr.Deadline = attr.Period = 0;
        return Syscall(n.Set, tid, ref attr, 0, 0) == 0;
    }

    /// <summary>The slice the kernel reports for a thread of this process, from /proc (null where it does not say).</summary>
    public static TimeSpan? Read(int tid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/self/task/{tid}/sched"))
                if (line.StartsWith("se.slice", StringComparison.Ordinal) && line.Split(':') is [_, var v] && long.TryParse(v.Trim(), out var ns))
                    return TimeSpan.FromTicks(ns / 100);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
