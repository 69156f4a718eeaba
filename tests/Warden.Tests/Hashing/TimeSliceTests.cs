using Warden.Hashing;
using Xunit;

namespace Warden.Tests.Hashing;

/// <summary>
/// The real <c>sched_setattr</c> call on this process' threads, read back from /proc. Linux 6.12 and later report
/// the custom slice there; on older kernels and other systems the call must be harmless.
/// </summary>
public sealed class TimeSliceTests
{
    private static bool KernelHasCustomSlices => OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(6, 12);

    [Fact]
    public void A_thread_gets_the_slice_it_asks_for_and_gives_it_back()
    {
        if (!TimeSlice.Supported) return;
        var seen = new TimeSpan?[3];
        var applied = false;
        // A thread of our own, so the test runner's threads keep the kernel's default.
        var t = new Thread(() =>
        {
            var tid = OwnTid();
            seen[0] = TimeSlice.Read(tid);
            applied = TimeSlice.Apply(0, TimeSpan.FromMilliseconds(23));
            seen[1] = TimeSlice.Read(tid);
            TimeSlice.Apply(0, TimeSpan.Zero);
            seen[2] = TimeSlice.Read(tid);
        });
        t.Start();
        t.Join();

        Assert.True(applied, "sched_setattr was refused");
        if (!KernelHasCustomSlices) return;
        Assert.Equal(TimeSpan.FromMilliseconds(23), seen[1]);
        Assert.NotEqual(TimeSpan.FromMilliseconds(23), seen[2]);
        Assert.Equal(seen[0], seen[2]);
    }

    [Fact]
    public void Threads_started_after_the_call_inherit_it()
    {
        if (!KernelHasCustomSlices) return;
        TimeSpan? child = null;
        var t = new Thread(() =>
        {
            TimeSlice.Apply(0, TimeSpan.FromMilliseconds(31));
            var inner = new Thread(() => child = TimeSlice.Read(OwnTid()));
            inner.Start();
            inner.Join();
        });
        t.Start();
        t.Join();
        Assert.Equal(TimeSpan.FromMilliseconds(31), child);
    }

    private static int OwnTid()
    {
        // /proc/thread-self links to /proc/<pid>/task/<tid>.
        var target = new FileInfo("/proc/thread-self").LinkTarget!;
        return int.Parse(Path.GetFileName(target));
    }
}
