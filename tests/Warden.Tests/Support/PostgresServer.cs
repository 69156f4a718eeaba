using System.Diagnostics;
using Npgsql;

namespace Warden.Tests.Support;

/// <summary>
/// A real PostgreSQL for store tests. The test script starts one and exports WARDEN_TEST_POSTGRES_DSN;
/// when it is absent (plain `dotnet test`), a throwaway cluster is started here with initdb on 127.0.0.1.
/// Each test gets its own database, so tests never see each other's rows.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Admin = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A fresh, empty database on the shared server, as a postgres:// DSN.</summary>
    public static string CreateDatabase()
    {
        var adminDsn = Admin.Value;
        var name = "warden_t_" + Guid.NewGuid().ToString("N")[..16];
        using (var c = new NpgsqlConnection(ToConnectionString(adminDsn)))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            cmd.ExecuteNonQuery();
        }
        var u = new UriBuilder(adminDsn) { Path = "/" + name };
        return u.Uri.ToString();
    }

    private static string ToConnectionString(string dsn) => Warden.Persistence.Dsn.Parse(dsn).ConnectionString;

    private static string Start()
    {
        var fromEnv = Environment.GetEnvironmentVariable("WARDEN_TEST_POSTGRES_DSN");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var bin = FindBin() ?? throw new InvalidOperationException(
            "PostgreSQL is needed for the store tests: install Debian's 'postgresql' or set WARDEN_TEST_POSTGRES_DSN (./test.sh does both).");
        var dir = Path.Combine(Path.GetTempPath(), "warden-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var port = Ports.Free();
        Run(Path.Combine(bin, "initdb"), $"-D {dir} -U postgres --auth=trust -E UTF8 --no-sync", asPostgresUser: true, dir: dir);
        Run(Path.Combine(bin, "pg_ctl"),
            $"-D {dir} -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300\" -l {dir}/log -w start",
            asPostgresUser: true, dir: dir);
        // The test host is often killed rather than exited, so ProcessExit handlers do not run: a detached
        // watchdog stops the cluster and removes its folder once this process is gone.
        var stop = Environment.UserName == "root"
            ? $"runuser -u postgres -- {Path.Combine(bin, "pg_ctl")} -D {dir} -m immediate stop"
            : $"{Path.Combine(bin, "pg_ctl")} -D {dir} -m immediate stop";
        var watchdog = new ProcessStartInfo("setsid",
            $"bash -c \"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {dir}\"")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        Process.Start(watchdog);
        return $"postgres://postgres@127.0.0.1:{port}/postgres?sslmode=disable";
    }

    private static string? FindBin()
    {
        foreach (var d in Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().ToArray() : Array.Empty<string>())
            if (File.Exists(Path.Combine(d, "bin", "initdb"))) return Path.Combine(d, "bin");
        return null;
    }


    /// <summary>PostgreSQL refuses to run as root; when we are root, run its tools as the postgres user.</summary>
    private static void Run(string exe, string args, bool asPostgresUser, string dir)
    {
        var root = Environment.UserName == "root";
        if (root)
        {
            Directory.CreateDirectory(dir);
            Process.Start("chown", $"postgres {dir}")!.WaitForExit();
        }
        var psi = root
            ? new ProcessStartInfo("runuser", $"-u postgres -- {exe} {args}")
            : new ProcessStartInfo(exe, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(exe)} failed: {err.Result}");
    }
}
