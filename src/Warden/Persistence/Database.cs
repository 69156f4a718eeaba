using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Warden.Persistence;

/// <summary>
/// The connection factory every store uses. Stores write dialect-neutral SQL where they can and branch on
/// <see cref="Dialect"/> where the databases differ (upserts, row locking).
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _npgsql;
    private readonly SqliteConnection? _keepAlive;

    public Database(Dsn dsn)
    {
        DapperSetup.EnsureInitialized();
        Dsn = dsn;
        if (dsn.Dialect == Dialect.Postgres)
        {
            _npgsql = NpgsqlDataSource.Create(dsn.ConnectionString);
        }
        else
        {
            if (dsn.InMemory)
            {
                // The shared in-memory database disappears with its last connection; hold one open.
                _keepAlive = new SqliteConnection(dsn.ConnectionString);
                _keepAlive.Open();
            }
            using var c = new SqliteConnection(dsn.ConnectionString);
            c.Open();
            using var cmd = c.CreateCommand();
            // WAL lets readers proceed while one writer commits; NORMAL sync is durable across app crashes.
            cmd.CommandText = dsn.InMemory ? "PRAGMA busy_timeout=30000;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            cmd.ExecuteNonQuery();
        }
    }

    public Dsn Dsn { get; }

    /// <summary>What this process changed, for in-process caches (see <see cref="ChangeSignals"/>).</summary>
    public ChangeSignals Changes { get; } = new();
    public Dialect Dialect => Dsn.Dialect;

    /// <summary>The single tenant of an open-source deployment; every row carries it (multi-tenant ready).</summary>
    public static readonly Guid DefaultNetworkId = Guid.Parse("00000000-0000-4000-8000-000000000001");

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_npgsql is not null) return await _npgsql.OpenConnectionAsync(ct);
        // No per-open PRAGMA: Microsoft.Data.Sqlite already retries SQLITE_BUSY until the command timeout
        // (Default Timeout in the connection string), and a statement per open costs every request.
        var c = new SqliteConnection(Dsn.ConnectionString);
        await c.OpenAsync(ct);
        return c;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking).</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c is SqliteConnection s ? s.BeginTransaction(deferred: false) : await c.BeginTransactionAsync(ct);
        var result = await work(c, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        InTransactionAsync<int>(async (c, tx) => { await work(c, tx); return 0; }, ct);

    /// <summary>True when the exception is a unique-constraint violation on either database.</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        if (_npgsql is not null) await _npgsql.DisposeAsync();
        if (_keepAlive is not null) await _keepAlive.DisposeAsync();
    }
}
