using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Warden.Persistence;

/// <summary>
/// Everything that touches Npgsql types, kept out of <see cref="Database"/>: the runtime loads an assembly when
/// a method using its types is compiled, so a SQLite deployment never maps Npgsql (~1 MB of resident memory).
/// </summary>
internal sealed class PostgresPool : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _connectionString;
    private NpgsqlDataSource? _dedicated;

    public PostgresPool(string connectionString)
    {
        _connectionString = connectionString;
        // Npgsql resets every pooled connection it hands out again (RESET ALL, DISCARD TEMP, advisory unlock:
        // seven statements the server runs before our first query) for code that leaves session state
        // behind. Warden sets none (the migrator releases its advisory lock itself, the session-cache listener
        // uses its own unpooled connection), so the reset is pure cost on every request: three or four per login.
        _source = Build(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true });
    }

    // Not inlined: its state machine holds awaiters of Npgsql types, and the tier-1 compile of Database.OpenAsync
    // that inlined it loaded Npgsql (0.9 MB mapped, System.Transactions with it) into SQLite deployments after ~30 s.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    /// <summary>
    /// A connection outside the pool, for a caller that holds it for the process's lifetime and leaves session
    /// state behind (the session cache's LISTEN): it must never go back to the pool. Its socket has TCP keepalive
    /// (first probe after <paramref name="keepAliveIdleSeconds"/> of silence, then every
    /// <paramref name="keepAliveProbeSeconds"/>), so a connection dropped without a word fails a pending read
    /// instead of waiting forever, with no work in the process. Unless the DSN names the application, the
    /// connection shows as <paramref name="name"/> in <c>pg_stat_activity</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // as OpenAsync
    public async Task<NpgsqlConnection> OpenDedicatedAsync(string name, int keepAliveIdleSeconds, int keepAliveProbeSeconds, CancellationToken ct)
    {
        var source = LazyInitializer.EnsureInitialized(ref _dedicated, () =>
        {
            var settings = new NpgsqlConnectionStringBuilder(_connectionString)
            {
                Pooling = false,
                TcpKeepAlive = true,
                TcpKeepAliveTime = keepAliveIdleSeconds,
                TcpKeepAliveInterval = keepAliveProbeSeconds,
            };
            if (string.IsNullOrEmpty(settings.ApplicationName)) settings.ApplicationName = name;
            return Build(settings);
        });
        return await source.OpenConnectionAsync(ct);
    }

    /// <summary>
    /// The slim builder maps only the basic types (text, uuid, timestamptz, integers, booleans); that is all Warden
    /// sends or reads (JSON travels as text, lists as one parameter per element). The full builder registers every
    /// resolver Npgsql has (ranges, geometry, JSON POCOs, records, …), which the runtime loads and compiles on first
    /// use: measured 2.6 MB of idle RSS and 80 ms of startup CPU that Warden never needed; arrays alone, 1.1 MB.
    /// </summary>
    private static NpgsqlDataSource Build(NpgsqlConnectionStringBuilder settings) =>
        new NpgsqlSlimDataSourceBuilder(settings.ConnectionString).Build();

    /// <summary>Whether the database reported this batch command done (a failed or skipped one has no statement type).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // as OpenAsync: callers run on both databases
    public static bool Completed(DbBatchCommand command) => command is not NpgsqlBatchCommand { StatementType: StatementType.Unknown };

    /// <summary>
    /// A failure of the connection rather than of the statement: no PostgreSQL error at all (refused, reset, timed
    /// out, the pool exhausted), or one of the classes that mean "not now" (connection exception 08, insufficient
    /// resources 53, operator intervention 57P01-57P03, and whatever Npgsql itself calls transient).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // as OpenAsync: callers run on both databases
    public static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException p => p.IsTransient || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException => true,
        _ => false,
    };

    [MethodImpl(MethodImplOptions.NoInlining)] // as OpenAsync: callers run on both databases
    public static bool IsUniqueViolation(Exception e) => e is PostgresException p && p.SqlState == PostgresErrorCodes.UniqueViolation;

    [MethodImpl(MethodImplOptions.NoInlining)] // as OpenAsync
    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        if (_dedicated is not null) await _dedicated.DisposeAsync();
    }
}
