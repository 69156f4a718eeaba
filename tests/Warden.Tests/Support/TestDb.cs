using Warden.Persistence;
using Xunit;

namespace Warden.Tests.Support;

/// <summary>
/// Theory data for "every store test runs on both databases": <c>[Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]</c>.
/// </summary>
public static class TestDb
{
    public static TheoryData<string> Both => new() { "sqlite", "postgres" };

    /// <summary>
    /// A fresh migrated database of the given dialect. <paramref name="minConnections"/>: for a test that holds
    /// several PostgreSQL connections at once on purpose, whatever pool size the test DSN sets.
    /// </summary>
    public static async Task<Database> CreateAsync(string dialect, int minConnections = 1)
    {
        var dsn = NewDsn(dialect);
        if (dialect == "postgres" && minConnections > 1) dsn += (dsn.Contains('?') ? "&" : "?") + "max_conns=" + minConnections;
        var db = new Database(Dsn.Parse(dsn));
        await new Migrator(db).ApplyAsync();
        return db;
    }

    /// <summary>A DSN for a fresh, unmigrated database.</summary>
    public static string NewDsn(string dialect) => dialect switch
    {
        "sqlite" => $"sqlite://{Path.Combine(Path.GetTempPath(), "warden-test-" + Guid.NewGuid().ToString("N"))}.db?_fk=true",
        "postgres" => PostgresServer.CreateDatabase(),
        _ => throw new ArgumentOutOfRangeException(nameof(dialect)),
    };
}
