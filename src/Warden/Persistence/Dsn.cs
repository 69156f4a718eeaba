using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Warden.Config;

namespace Warden.Persistence;

/// <summary>
/// Kratos compat: DSNs are URLs. <c>memory</c>, <c>sqlite://file::memory:?…</c>, <c>sqlite://path?…</c>,
/// <c>postgres://user:pass@host:port/db?sslmode=…</c> (and <c>postgresql://</c>).
/// </summary>
public sealed partial record Dsn(Dialect Dialect, string ConnectionString, bool InMemory, string Redacted)
{
    public static Dsn Parse(string dsn)
    {
        if (string.IsNullOrWhiteSpace(dsn)) throw new ConfigException("dsn", "must not be empty");
        dsn = dsn.Trim();
        if (NamesSqlite(dsn)) return ParseSqlite(dsn);
        if (dsn.StartsWith("postgres://", StringComparison.Ordinal) || dsn.StartsWith("postgresql://", StringComparison.Ordinal))
            return ParsePostgres(dsn);
        if (dsn.StartsWith("mysql://", StringComparison.Ordinal) || dsn.StartsWith("cockroach://", StringComparison.Ordinal))
            throw new ConfigException("dsn", "MySQL and CockroachDB are not supported by Warden; use sqlite:// or postgres://");
        throw new ConfigException("dsn", "must start with sqlite://, postgres:// or postgresql://, or be 'memory'");
    }

    /// <summary>Whether a trimmed DSN names SQLite (<c>memory</c>, <c>sqlite://…</c>, <c>sqlite3://…</c>), without parsing it.</summary>
    internal static bool NamesSqlite(string dsn) =>
        dsn == "memory" || dsn.StartsWith("sqlite://", StringComparison.Ordinal) || dsn.StartsWith("sqlite3://", StringComparison.Ordinal);

    // Its own method, not inlined, like ParsePostgres: compiling a method loads the assemblies of the types it
    // uses, and a PostgreSQL deployment has no use for Microsoft.Data.Sqlite.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Dsn ParseSqlite(string dsn) // memory, sqlite://…, sqlite3://…
    {
        if (dsn == "memory" || dsn.StartsWith("sqlite://file::memory:", StringComparison.Ordinal) || dsn.StartsWith("sqlite://:memory:", StringComparison.Ordinal))
        {
            // A named shared-cache database lives as long as one connection to it stays open (see Database).
            var name = $"warden-{Guid.NewGuid():N}";
            // Pooling off here and below: Warden keeps its SQLite connections open itself (SqlitePool), with their
            // prepared statements; a second pool underneath would hand out native connections in unknown states.
            var cs = new SqliteConnectionStringBuilder { DataSource = $"file:{name}?mode=memory&cache=shared", ForeignKeys = true, Pooling = false, DefaultTimeout = 30 };
            return new Dsn(Dialect.Sqlite, cs.ToString(), true, "memory");
        }
        var rest = dsn[(dsn.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var q = rest.IndexOf('?');
        var path = q < 0 ? rest : rest[..q];
        if (path.StartsWith("file:", StringComparison.Ordinal)) path = path[5..];
        if (path.Length == 0) throw new ConfigException("dsn", "a sqlite DSN needs a file path, e.g. sqlite://warden.db");
        var file = new SqliteConnectionStringBuilder
        {
            DataSource = Uri.UnescapeDataString(path),
            ForeignKeys = true,
            Pooling = false,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
        };
        return new Dsn(Dialect.Sqlite, file.ToString(), false, $"sqlite://{path}");
    }

    /// <summary>The host a PostgreSQL DSN connects to: a name, an address or a Unix socket directory.</summary>
    /// <exception cref="ConfigException">The DSN is not a valid PostgreSQL DSN.</exception>
    internal static string PostgresHost(string dsn)
    {
        var parsed = Parse(dsn);
        if (parsed.Dialect != Dialect.Postgres) throw new ConfigException("dsn", "is not a postgres:// URL");
        return new NpgsqlConnectionStringBuilder(parsed.ConnectionString).Host ?? "";
    }

    internal static int DefaultMaxConnections => 2 * Environment.ProcessorCount;

    private static Dsn ParsePostgres(string dsn)
    {
        // Kratos compat: pgx, like libpq, takes the host from a query parameter too, which is how a Unix socket
        // directory is named (postgres://user@/db?host=/var/run/postgresql, Cloud SQL's /cloudsql/…). Uri cannot
        // parse user info in front of an empty host, so such a URL gets a placeholder host the parameter replaces.
        var hostless = HostlessUserInfo().IsMatch(dsn);
        if (hostless) dsn = HostlessUserInfo().Replace(dsn, "${head}localhost", 1);
        Uri uri;
        try
        {
            uri = new Uri(dsn);
        }
        catch (UriFormatException)
        {
            throw new ConfigException("dsn", "is not a valid postgres:// URL");
        }
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            // Kratos compat: max_conns defaults to twice the usable cores (Environment.ProcessorCount follows
            // CPU affinity and container limits). More connections than the database can run at once only
            // make its processes take turns, each on caches the others evicted: argon2id logins sharing one
            // core with PostgreSQL measured ~1.7 ms of PostgreSQL CPU per login with the old default of 50
            // (five connections in use) and ~1.4 ms with two. A request holds at most one connection at a
            // time (test.sh runs the suite with one), so a small pool queues work rather than deadlocking.
            MaxPoolSize = DefaultMaxConnections,
            // Hot statements (whoami, identity reads) are prepared once per connection instead of re-planned
            // on every request.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            // Warden never uses System.Transactions; without this every open asks for an ambient transaction.
            Enlist = false,
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1) b.Password = Uri.UnescapeDataString(parts[1]);
        }
        hostless |= uri.Host.Length == 0;
        int? idle = null;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key)
            {
                case "sslmode":
                    b.SslMode = value switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new ConfigException("dsn", $"unknown sslmode '{value}'"),
                    };
                    break;
                case "host" when value.Length > 0: b.Host = value; hostless = false; break;
                case "port" when int.TryParse(value, out var port) && port > 0: b.Port = port; break;
                case "user": b.Username = value; break;
                case "password": b.Password = value; break;
                case "max_conns" when int.TryParse(value, out var max) && max > 0: b.MaxPoolSize = max; break;
                case "max_idle_conns" when int.TryParse(value, out var min) && min >= 0: idle = min; break;
                case "connect_timeout" when int.TryParse(value, out var t): b.Timeout = t; break;
                case "application_name": b.ApplicationName = value; break;
                case "search_path": b.SearchPath = value; break;
                // Other pop/pgx options (max_conn_lifetime, …) have no Npgsql equivalent worth mapping.
            }
        }
        if (hostless) throw new ConfigException("dsn", "names no database host: put it in the URL (postgres://user@host/db) or pass ?host=");
        // After the loop: the two may come in either order.
        if (idle is { } keep) b.MinPoolSize = Math.Min(keep, b.MaxPoolSize);
        var redacted = $"{uri.Scheme}://{(string.IsNullOrEmpty(b.Username) ? "" : b.Username + ":***@")}{b.Host}:{b.Port}/{b.Database}";
        return new Dsn(Dialect.Postgres, b.ToString(), false, redacted);
    }

    [GeneratedRegex(@"^(?<head>postgres(?:ql)?://[^/?#@]*@)(?=[/?#]|$)")]
    private static partial Regex HostlessUserInfo();
}
