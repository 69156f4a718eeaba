using Warden.Persistence;
using Xunit;

namespace Warden.Tests.Support;

/// <summary>
/// Theory data for "every store test runs on both databases": <c>[Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]</c>.
/// </summary>
public static class TestDb
{
    public static TheoryData<string> Both => new() { "sqlite", "postgres" };

    /// <summary>A fresh migrated database of the given dialect.</summary>
    public static async Task<Database> CreateAsync(string dialect)
    {
        var db = new Database(Dsn.Parse(NewDsn(dialect)));
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
