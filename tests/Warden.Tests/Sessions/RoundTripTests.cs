using System.Diagnostics;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Sessions.SessionTestData;

namespace Warden.Tests.Sessions;

/// <summary>
/// whoami's promise of one database round trip, observed through Npgsql's own tracing: every command it sends
/// is one activity, so a second query (or a write) on the hot path shows up as a second activity.
/// </summary>
public sealed class RoundTripTests
{
    [Fact]
    public async Task Finding_a_session_is_one_command_on_postgres()
    {
        await using var db = await TestDb.CreateAsync("postgres");
        var manager = Manager(db, TestConfig(Secrets(["secret-A-0123456789abcdef"])));
        var issued = await manager.IssueAsync(await InsertIdentityAsync(db), [Password], Device);
        Assert.NotNull(await manager.FromRequestAsync(Request(header: issued.Token))); // warm the pool

        // Tests run in parallel: count only commands against this test's own database.
        var database = new Npgsql.NpgsqlConnectionStringBuilder(db.Dsn.ConnectionString).Database!;
        var commands = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("Npgsql", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TagObjects.Any(t => t.Value is string v && v.Contains(database, StringComparison.Ordinal)))
                    lock (commands) commands.Add(a.DisplayName);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var found = await manager.FromRequestAsync(Request(header: issued.Token));
        Assert.NotNull(found);
        Assert.NotNull(found.Identity);
        Assert.Single(found.Devices);
        lock (commands) Assert.Single(commands);
    }
}
