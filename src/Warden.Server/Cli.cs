using System.CommandLine;
using Warden;
using Warden.Config;

namespace Warden.Server;

/// <summary>
/// The command line, shaped like Kratos': <c>serve</c>, <c>migrate sql</c>, <c>version</c>. Output goes to
/// the invocation's writers (the console in production, string writers in tests). Exit codes: 0 success,
/// 1 bad configuration, bad command-line syntax or a failed step (message on stderr, no stack trace).
/// </summary>
internal static class Cli
{
    /// <summary>How long a stop request (Ctrl-C, SIGTERM) may take before the process is ended anyway.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(15);

    /// <param name="environment">The variables to read overrides from; the process environment when null.</param>
    /// <param name="onStarted">Called once <c>serve</c> listens (tests use it to talk to the server, then cancel).</param>
    public static RootCommand Build(IDictionary<string, string?>? environment = null, Func<WardenHost, Task>? onStarted = null)
    {
        var env = environment ?? ProcessEnvironment();
        var root = new RootCommand("Warden: identity and user management, wire-compatible with Ory Kratos.");
        root.Subcommands.Add(ServeCommand(env, onStarted));
        root.Subcommands.Add(MigrateCommand(env));
        root.Subcommands.Add(CourierCommand.Build(env));
        var version = new Command("version", "Print the version.");
        version.SetAction(parse => parse.InvocationConfiguration.Output.WriteLine(WardenVersion.Current));
        root.Subcommands.Add(version);
        return root;
    }

    /// <summary>Runs the command line with Warden's invocation settings (graceful stop on Ctrl-C/SIGTERM).</summary>
    public static Task<int> RunAsync(string[] args) =>
        Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = ShutdownGrace });

    private static Option<string[]> ConfigOption() => new("--config", "-c")
    {
        Description = "Path to a Kratos config file (YAML or JSON). Repeat to merge several, later ones win.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Command ServeCommand(IDictionary<string, string?> env, Func<WardenHost, Task>? onStarted)
    {
        var config = ConfigOption();
        var dev = new Option<bool>("--dev") { Description = "Development mode: cookies without Secure, cheaper hashing allowed. Never in production." };
        var migrate = new Option<bool>("--migrate") { Description = "Apply pending SQL migrations before serving (always done for SQLite)." };
        var watch = new Option<bool>("--watch-courier") { Description = "Accepted for Kratos compatibility; the courier always runs inside serve." };
        var sqa = new Option<bool>("--sqa-opt-out") { Description = "Accepted for Kratos compatibility; Warden sends no usage statistics." };
        var cmd = new Command("serve", "Run the public (4433) and admin (4434) APIs.") { config, dev, migrate, watch, sqa };
        cmd.SetAction(async (parse, ct) =>
        {
            var err = parse.InvocationConfiguration.Error;
            var cfg = LoadConfig(parse.GetValue(config), parse.GetValue(dev), env, err);
            if (cfg is null) return 1;
            return await Serve.RunAsync(cfg, parse.GetValue(migrate), err, onStarted, ct);
        });
        return cmd;
    }

    private static Command MigrateCommand(IDictionary<string, string?> env)
    {
        var config = ConfigOption();
        var readEnv = new Option<bool>("--read-from-env", "-e") { Description = "Read the database URL from the DSN environment variable." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply without asking." };
        var dsnArg = new Argument<string?>("dsn") { Arity = ArgumentArity.ZeroOrOne, Description = "Database URL (or use -e, or -c with a config that sets dsn)." };
        var sql = new Command("sql", "Apply the SQL migrations for the configured database.") { config, readEnv, yes, dsnArg };
        sql.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var err = parse.InvocationConfiguration.Error;
            var cfg = LoadConfig(parse.GetValue(config), false, env, err);
            if (cfg is null) return 1;
            var dsn = parse.GetValue(dsnArg);
            if (string.IsNullOrEmpty(dsn) && parse.GetValue(readEnv))
            {
                dsn = env.TryGetValue("DSN", out var fromEnv) ? fromEnv : null;
                if (string.IsNullOrEmpty(dsn))
                {
                    err.WriteLine("-e was given but the DSN environment variable is not set.");
                    return 1;
                }
            }
            if (string.IsNullOrEmpty(dsn)) dsn = cfg.Dsn;
            return await Migrate.RunAsync(dsn, parse.GetValue(yes), output, err, ct);
        });
        var migrate = new Command("migrate", "Database migrations.") { sql };
        return migrate;
    }

    /// <summary>Loads and validates the config; on failure prints every bad key and returns null.</summary>
    internal static WardenConfig? LoadConfig(string[]? paths, bool dev, IDictionary<string, string?> env, TextWriter err)
    {
        try
        {
            return ConfigLoader.Load(paths ?? [], env, dev);
        }
        catch (ConfigException e)
        {
            WriteConfigProblems(e, err);
            return null;
        }
    }

    internal static void WriteConfigProblems(ConfigException e, TextWriter err)
    {
        err.WriteLine(e.Problems.Count == 1 ? "Invalid configuration:" : $"Invalid configuration ({e.Problems.Count} problems):");
        foreach (var p in e.Problems) err.WriteLine($"  {p}");
    }

    private static Dictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
