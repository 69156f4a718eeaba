using System.Data.Common;
using Npgsql;

namespace Warden.Persistence;

/// <summary>
/// Everything that touches Npgsql types, kept out of <see cref="Database"/>: the runtime loads an assembly when
/// a method using its types is compiled, so a SQLite deployment never maps Npgsql (~1 MB of resident memory).
/// </summary>
internal sealed class PostgresPool : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresPool(string connectionString)
    {
        // Npgsql resets every pooled connection it hands out again (RESET ALL, DISCARD TEMP, advisory unlock:
        // seven statements the server runs before our first query) for code that leaves session state
        // behind. Warden sets none (the migrator releases its advisory lock itself, the session-cache listener
        // uses its own unpooled connection), so the reset is pure cost on every request: three or four per login.
        _source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    public static bool IsUniqueViolation(Exception e) => e is PostgresException p && p.SqlState == PostgresErrorCodes.UniqueViolation;

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
