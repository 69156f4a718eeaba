using Warden.Config;
using Warden.Persistence;

namespace Warden.Server;

/// <summary><c>migrate sql</c>: shows pending migrations and applies them (after a yes).</summary>
internal static class Migrate
{
    public static async Task<int> RunAsync(string dsnText, bool yes, TextWriter output, TextWriter err, CancellationToken ct)
    {
        Dsn dsn;
        try
        {
            dsn = Dsn.Parse(dsnText);
        }
        catch (ConfigException e)
        {
            err.WriteLine($"Invalid DSN: {e.Problem}");
            return 1;
        }
        try
        {
            await using var db = new Database(dsn);
            var migrator = new Migrator(db);
            var pending = await migrator.PendingAsync(ct);
            if (pending.Count == 0)
            {
                output.WriteLine($"{dsn.Redacted}: all {migrator.All.Count} migration(s) applied, nothing to do.");
                return 0;
            }
            output.WriteLine($"{dsn.Redacted}: {pending.Count} pending migration(s):");
            foreach (var m in pending) output.WriteLine($"  {m.Name}");
            if (!yes)
            {
                output.Write("Apply them? [y/N] ");
                var answer = Console.IsInputRedirected ? null : Console.ReadLine();
                if (answer?.Trim() is not ("y" or "Y" or "yes"))
                {
                    output.WriteLine("Not applied (pass --yes to apply without asking).");
                    return 1;
                }
            }
            var applied = await migrator.ApplyAsync(ct);
            output.WriteLine($"Applied {applied.Count} migration(s).");
            return 0;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            // The message names the problem (host unreachable, authentication, disk); the stack would not help.
            err.WriteLine($"Migration failed on {dsn.Redacted}: {e.Message}");
            return 1;
        }
    }
}
