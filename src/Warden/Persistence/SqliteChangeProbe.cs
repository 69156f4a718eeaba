namespace Warden.Persistence;

/// <summary>
/// Tells without a query whether a SQLite database may have changed since the last look. Every commit, from any
/// process, writes the write-ahead log (the database file itself outside WAL mode, and at checkpoints), which
/// moves that file's modification time or size; a transaction that changed nothing writes nothing. A poller
/// that used to run a statement every second can then leave an idle database alone.
/// </summary>
internal sealed class SqliteChangeProbe(string databasePath)
{
    // File times advance in steps (a scheduler tick on Linux, two seconds on FAT): a write in the same step as the
    // one last seen leaves the time as it was. A look is trusted as the baseline only once the newest time in it
    // is older than this, so that any later write must show a different time.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private readonly string _wal = databasePath + "-wal";
    private Look? _baseline;

    /// <summary>
    /// False when neither file changed since a settled look (the caller may skip its query); true otherwise,
    /// and the caller reads. Call it before reading, so a change made during the read is seen the next time.
    /// </summary>
    public bool MayHaveChanged()
    {
        var look = new Look(File(databasePath), File(_wal));
        if (_baseline == look) return false;
        var newest = look.Database.Time > look.Wal.Time ? look.Database.Time : look.Wal.Time;
        _baseline = newest < DateTime.UtcNow - Settle ? look : null;
        return true;
    }

    /// <summary>The read that followed failed: the next call must say "changed" whatever the files show.</summary>
    public void Forget() => _baseline = null;

    private static Stamp File(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new Stamp(info.Length, info.LastWriteTimeUtc) : new Stamp(-1, DateTime.MinValue);
    }

    private readonly record struct Stamp(long Length, DateTime Time);

    private sealed record Look(Stamp Database, Stamp Wal);
}
