using System.CommandLine;
using System.Net;
using Warden.Server;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Cli;

/// <summary>The command line run in-process, with its own output writers and environment.</summary>
public sealed class CliTests
{
    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> RunAsync(string[] args, Dictionary<string, string?>? env = null,
        Func<WardenHost, Task>? onStarted = null, CancellationToken ct = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Server.Cli.Build(env ?? new Dictionary<string, string?>(), onStarted).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
        return new Run(exit, output.ToString(), error.ToString());
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Config", name);

    private static void AssertNoStackTrace(Run run)
    {
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var run = await RunAsync(["version"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(WardenVersion.Current, run.Output.Trim());
    }

    [Theory]
    [InlineData(new[] { "--help" }, "serve")]
    [InlineData(new[] { "serve", "--help" }, "--config")]
    [InlineData(new[] { "migrate", "sql", "--help" }, "--read-from-env")]
    public async Task Help_describes_the_commands(string[] args, string expected)
    {
        var run = await RunAsync(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(expected, run.Output);
    }

    [Fact]
    public async Task Unknown_commands_fail()
    {
        var run = await RunAsync(["frobnicate"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("frobnicate", run.Error);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Migrate_sql_applies_then_has_nothing_to_do(string dialect)
    {
        var dsn = TestDb.NewDsn(dialect);
        var first = await RunAsync(["migrate", "sql", dsn, "--yes"]);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Applied", first.Output);
        Assert.DoesNotContain("password", first.Output); // the DSN is shown redacted
        var second = await RunAsync(["migrate", "sql", dsn, "--yes"]);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("nothing to do", second.Output);
    }

    [Fact]
    public async Task Migrate_sql_reads_the_dsn_from_the_environment_with_e()
    {
        var dsn = TestDb.NewDsn("sqlite");
        var run = await RunAsync(["migrate", "sql", "-e", "--yes"], new() { ["DSN"] = dsn });
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Applied", run.Output);

        var missing = await RunAsync(["migrate", "sql", "-e", "--yes"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("DSN", missing.Error);
    }

    [Theory]
    [InlineData("mysql://root:pw@tcp(db:3306)/kratos", "MySQL")]
    [InlineData("oracle://db", "must start with")]
    [InlineData("postgres://u:pw@db:5432/x?sslmode=sometimes", "sslmode")]
    public async Task Migrate_sql_with_an_invalid_dsn_exits_1(string dsn, string expected)
    {
        var run = await RunAsync(["migrate", "sql", dsn, "--yes"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("pw@", run.Error);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Migrate_sql_against_an_unreachable_database_exits_1()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var run = await RunAsync(["migrate", "sql", "postgres://u:pw@127.0.0.1:1/x?sslmode=disable", "--yes"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Migration failed", run.Error);
        Assert.DoesNotContain("pw@", run.Error);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Serve_with_an_invalid_config_exits_1_naming_the_key()
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-cli-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, "serve:\n  public:\n    port: abc\nlog:\n  level: loud\n");
        try
        {
            var run = await RunAsync(["serve", "-c", path]);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("config key 'serve.public.port': expected an integer between 1 and 65535, got \"abc\"", run.Error);
            Assert.Contains("config key 'log.level'", run.Error);
            AssertNoStackTrace(run);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Serve_with_a_bad_environment_override_exits_1()
    {
        var run = await RunAsync(["serve"], new() { ["SERVE_ADMIN_PORT"] = "http" });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("serve.admin.port", run.Error);
    }

    [Fact]
    public async Task Serve_with_a_missing_file_exits_1()
    {
        var run = await RunAsync(["serve", "-c", "/nonexistent/kratos.yml"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/nonexistent/kratos.yml", run.Error);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Serve_listens_until_cancelled_then_exits_0()
    {
        using var stop = new CancellationTokenSource();
        HttpStatusCode? alive = null, ready = null;
        var run = await RunAsync(["serve", "-c", Fixture("serve.yml"), "--dev"],
            new() { ["DSN"] = TestDb.NewDsn("sqlite") },
            async host =>
            {
                using var http = new HttpClient { BaseAddress = host.PublicAddress };
                alive = (await http.GetAsync("/health/alive")).StatusCode;
                ready = (await http.GetAsync("/health/ready")).StatusCode; // SQLite migrated itself
                await stop.CancelAsync();
            },
            stop.Token);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(HttpStatusCode.OK, alive);
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Serve_refuses_postgres_with_pending_migrations_unless_told_to_migrate()
    {
        var dsn = TestDb.NewDsn("postgres");
        var refused = await RunAsync(["serve", "-c", Fixture("serve.yml")], new() { ["DSN"] = dsn });
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("pending migration", refused.Error);

        using var stop = new CancellationTokenSource();
        var started = false;
        var run = await RunAsync(["serve", "-c", Fixture("serve.yml"), "--migrate"], new() { ["DSN"] = dsn },
            async _ => { started = true; await stop.CancelAsync(); }, stop.Token);
        Assert.Equal(0, run.ExitCode);
        Assert.True(started);
    }
}
