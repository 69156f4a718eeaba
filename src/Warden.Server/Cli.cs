using System.CommandLine;
using Warden;
using Warden.Config;
using Warden.Persistence;

namespace Warden.Server;

/// <summary>The command line, shaped like Kratos': <c>serve</c>, <c>migrate sql</c>, <c>version</c>.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Warden: identity and user management, wire-compatible with Ory Kratos.");
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(MigrateCommand());
        var version = new Command("version", "Print the version.");
        version.SetAction(_ => Console.WriteLine(WardenVersion.Current));
        root.Subcommands.Add(version);
        return root;
    }

    private static Option<string[]> ConfigOption() => new("--config", "-c")
    {
        Description = "Path to a Kratos config file (YAML or JSON). Several are merged in order.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Command ServeCommand()
    {
        var config = ConfigOption();
        var dev = new Option<bool>("--dev") { Description = "Development mode: cookies without Secure, cheaper hashing allowed." };
        var migrate = new Option<bool>("--migrate") { Description = "Apply pending SQL migrations before serving." };
        var watch = new Option<bool>("--watch-courier") { Description = "Accepted for Kratos compatibility; the courier always runs inside serve." };
        var cmd = new Command("serve", "Run the public (4433) and admin (4434) APIs.") { config, dev, migrate, watch };
        cmd.SetAction(async (parse, ct) =>
        {
            var cfg = LoadConfig(parse.GetValue(config), parse.GetValue(dev));
            if (cfg is null) return 1;
            return await Serve.RunAsync(cfg, parse.GetValue(migrate), ct);
        });
        return cmd;
    }

    private static Command MigrateCommand()
    {
        var config = ConfigOption();
        var readEnv = new Option<bool>("--read-from-env", "-e") { Description = "Read the DSN from the DSN environment variable." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply without asking." };
        var dsnArg = new Argument<string?>("dsn") { Arity = ArgumentArity.ZeroOrOne, Description = "Database URL (or use -e / -c)." };
        var sql = new Command("sql", "Apply the SQL migrations for the configured database.") { config, readEnv, yes, dsnArg };
        sql.SetAction(async (parse, ct) =>
        {
            var cfg = LoadConfig(parse.GetValue(config), false);
            if (cfg is null) return 1;
            var dsn = parse.GetValue(dsnArg);
            if (string.IsNullOrEmpty(dsn)) dsn = parse.GetValue(readEnv) ? Environment.GetEnvironmentVariable("DSN") : cfg.Dsn;
            if (string.IsNullOrEmpty(dsn))
            {
                Console.Error.WriteLine("No DSN: pass one as an argument, set DSN with -e, or give a config file with -c.");
                return 1;
            }
            return await Migrate.RunAsync(dsn, parse.GetValue(yes), ct);
        });
        var migrate = new Command("migrate", "Database migrations.") { sql };
        return migrate;
    }

    /// <summary>Loads and validates the config; on failure prints the key and the problem and returns null.</summary>
    internal static WardenConfig? LoadConfig(string[]? paths, bool dev)
    {
        try
        {
            var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
            return ConfigLoader.Load(paths ?? [], env, dev);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"Invalid configuration: {e.Message}");
            return null;
        }
    }
}
