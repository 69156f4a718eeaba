using Warden.Config;
using Warden.Persistence;

namespace Warden.Server;

internal static class Migrate
{
    public static async Task<int> RunAsync(string dsnText, bool yes, CancellationToken ct)
    {
        Dsn dsn;
        try
        {
            dsn = Dsn.Parse(dsnText);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"Invalid DSN: {e.Problem}");
            return 1;
        }
        await using var db = new Database(dsn);
        var migrator = new Migrator(db);
        var pending = await migrator.PendingAsync(ct);
        if (pending.Count == 0)
        {
            Console.WriteLine($"{dsn.Redacted}: all {migrator.All.Count} migration(s) applied, nothing to do.");
            return 0;
        }
        Console.WriteLine($"{dsn.Redacted}: {pending.Count} pending migration(s):");
        foreach (var m in pending) Console.WriteLine($"  {m.Name}");
        if (!yes)
        {
            Console.Write("Apply them? [y/N] ");
            var answer = Console.IsInputRedirected ? null : Console.ReadLine();
            if (answer is not ("y" or "Y" or "yes"))
            {
                Console.WriteLine("Not applied (pass --yes to apply without asking).");
                return 1;
            }
        }
        var applied = await migrator.ApplyAsync(ct);
        Console.WriteLine($"Applied {applied.Count} migration(s).");
        return 0;
    }
}
