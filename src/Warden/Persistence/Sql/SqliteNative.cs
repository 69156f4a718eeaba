namespace Warden.Persistence;

/// <summary>Binds Microsoft.Data.Sqlite to the bundled e_sqlite3 library, once per process, before the first connection.</summary>
internal static class SqliteNative
{
    private static int _done;

    public static void EnsureLoaded()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        SQLitePCL.Batteries_V2.Init();
    }
}
