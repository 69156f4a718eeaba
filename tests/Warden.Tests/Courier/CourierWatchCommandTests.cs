using System.CommandLine;
using System.Text.Json.Nodes;
using Warden.Courier;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Courier;

/// <summary><c>warden courier watch</c>: the worker as its own process, over the same database as serve.</summary>
public sealed class CourierWatchCommandTests
{
    [Fact]
    public async Task Courier_watch_delivers_queued_mail_and_stops_on_cancel()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var dsn = TestDb.NewDsn("sqlite");
        var configPath = Path.Combine(Path.GetTempPath(), $"warden-watch-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, new JsonObject
        {
            ["dsn"] = dsn,
            ["courier"] = new JsonObject { ["smtp"] = new JsonObject { ["connection_uri"] = smtp.ConnectionUri }, ["worker"] = new JsonObject { ["pull_wait"] = "100ms" } },
        }.ToJsonString());
        try
        {
            // Queue a message the way serve would, before the watcher starts.
            await using (var h = await CourierHarnessOver(dsn))
            {
                h.Clock.Now = DateTimeOffset.UtcNow; // due now for the watcher's real clock
                await h.QueueAsync("watch@example.org", "112233");
            }

            using var stop = new CancellationTokenSource();
            var error = new StringWriter();
            var run = Server.Cli.Build(new Dictionary<string, string?>()).Parse(["courier", "watch", "-c", configPath])
                .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error }, stop.Token);
            var mail = await smtp.WaitForMessageAsync("watch@example.org");
            Assert.Contains("112233", mail.Text);
            await stop.CancelAsync();
            Assert.Equal(0, await run);
            Assert.Equal("", error.ToString());
        }
        finally
        {
            File.Delete(configPath);
        }
    }

    [Fact]
    public async Task Courier_watch_with_a_broken_template_exits_1_naming_the_key()
    {
        var configPath = Path.Combine(Path.GetTempPath(), $"warden-watch-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, JsonNode.Parse("""{"dsn":"sqlite://:memory:?_fk=true","courier":{"templates":{"login_code":{"valid":{"email":{"subject":"base64://e3sgbm9wZSB9fQ"}}}}}}""")!.ToJsonString());
        try
        {
            var error = new StringWriter();
            var exit = await Server.Cli.Build(new Dictionary<string, string?>()).Parse(["courier", "watch", "-c", configPath])
                .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });
            Assert.Equal(1, exit);
            Assert.Contains("courier.templates.login_code.valid.email.subject", error.ToString());
            Assert.Contains("\"nope\" not defined", error.ToString());
        }
        finally
        {
            File.Delete(configPath);
        }
    }

    private static async Task<CourierHarness> CourierHarnessOver(string dsn)
    {
        // The harness makes its own database; here the watcher's database is wanted, so queue through a raw store.
        var db = new Database(Dsn.Parse(dsn));
        await new Migrator(db).ApplyAsync();
        await db.DisposeAsync();
        return await CourierHarness.CreateOverAsync(dsn);
    }
}
