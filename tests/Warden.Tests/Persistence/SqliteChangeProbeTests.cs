using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>The file look that lets SQLite pollers skip their query while nothing was committed.</summary>
public sealed class SqliteChangeProbeTests
{
    private static string PathOf(Database db) => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Dsn.ConnectionString).DataSource;

    private static void Age(string path)
    {
        foreach (var f in new[] { path, path + "-wal" })
            if (File.Exists(f)) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddSeconds(-30));
    }

    private static Task WriteAsync(Database db, string version) =>
        db.WriteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES (@version, 't', 'now')", new { version });

    [Fact]
    public async Task Unchanged_settled_files_need_no_query_and_any_commit_does()
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        var path = PathOf(db);
        Assert.True(File.Exists(path + "-wal"));
        var probe = new SqliteChangeProbe(path);

        // Just written (times within the file system's step of now): never trusted, always "changed".
        await WriteAsync(db, "p1");
        Assert.True(probe.MayHaveChanged());
        Assert.True(probe.MayHaveChanged());

        Age(path);
        Assert.True(probe.MayHaveChanged()); // the look that becomes the baseline
        Assert.False(probe.MayHaveChanged());
        Assert.False(probe.MayHaveChanged());

        await WriteAsync(db, "p2");
        Assert.True(probe.MayHaveChanged());

        Age(path);
        Assert.True(probe.MayHaveChanged());
        Assert.False(probe.MayHaveChanged());
        // A transaction that changes nothing writes nothing.
        await db.WriteAsync("UPDATE warden_migrations SET name = 'x' WHERE version = 'none'", null);
        Assert.False(probe.MayHaveChanged());

        // After a failed read the next look must not skip.
        probe.Forget();
        Assert.True(probe.MayHaveChanged());
        Assert.False(probe.MayHaveChanged());
    }

    [Fact]
    public async Task A_commit_that_keeps_the_file_time_is_seen_by_its_size()
    {
        await using var db = await TestDb.CreateAsync("sqlite");
        var path = PathOf(db);
        var probe = new SqliteChangeProbe(path);
        Age(path);
        Assert.True(probe.MayHaveChanged());
        Assert.False(probe.MayHaveChanged());
        var time = File.GetLastWriteTimeUtc(path + "-wal");

        await WriteAsync(db, "s1");
        File.SetLastWriteTimeUtc(path + "-wal", time); // as if within the same step of the file system's clock
        Assert.True(probe.MayHaveChanged());
    }
}
