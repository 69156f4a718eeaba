using System.Data.Common;
using System.Reflection;

namespace Warden.Persistence;

/// <summary>
/// Versioned SQL migrations, one folder per dialect (embedded resources named NNNN_description.sql).
/// Applied in order, each in its own transaction, recorded in <c>warden_migrations</c>.
/// </summary>
public sealed class Migrator(Database db)
{
    public sealed record Migration(string Version, string Name, string Sql);

    public IReadOnlyList<Migration> All { get; } = Unique(Load(db.Dialect));

    /// <summary>
    /// The version is the number before the first underscore and must be unique: two files sharing a number
    /// would be recorded as one and the second would silently never be tracked, so that is a build-time error
    /// (MigrationTests) and a startup error here.
    /// </summary>
    private static IReadOnlyList<Migration> Load(Dialect dialect)
    {
        var folder = dialect == Dialect.Sqlite ? "sqlite" : "postgres";
        var prefix = $"Warden.Persistence.Migrations.{folder}.";
        var asm = typeof(Migrator).Assembly;
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                using var s = asm.GetManifestResourceStream(n)!;
                using var r = new StreamReader(s);
                return new Migration(file.Split('_', 2)[0], file, r.ReadToEnd());
            })
            .OrderBy(m => m.Version, StringComparer.Ordinal)
            .ToList();
    }

    private static IReadOnlyList<Migration> Unique(IReadOnlyList<Migration> all)
    {
        var clash = all.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidOperationException($"migrations {string.Join(", ", clash.Select(m => m.Name))} share version {clash.Key}");
        return all;
    }

    private const string EnsureTable =
        "CREATE TABLE IF NOT EXISTS warden_migrations (version VARCHAR(32) PRIMARY KEY, name VARCHAR(255) NOT NULL, applied_at VARCHAR(64) NOT NULL)";

    public async Task<IReadOnlyList<Migration>> PendingAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var applied = await AppliedAsync(c);
        return All.Where(m => !applied.Contains(m.Version)).ToList();
    }

    private static async Task<HashSet<string>> AppliedAsync(DbConnection c)
    {
        await c.ExecuteAsync(EnsureTable);
        return (await c.QueryAsync<string>("SELECT version FROM warden_migrations")).ToHashSet();
    }

    /// <summary>Applies every pending migration; returns the ones applied. Safe to run from several instances at once.</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // Two instances starting together on one PostgreSQL must not both migrate: take a session lock.
        if (db.Dialect == Dialect.Postgres) await c.ExecuteAsync("SELECT pg_advisory_lock(7226637)");
        try
        {
            var applied = await AppliedAsync(c);
            var done = new List<Migration>();
            foreach (var m in All.Where(m => !applied.Contains(m.Version)))
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                await c.ExecuteAsync(m.Sql, transaction: tx);
                await c.ExecuteAsync("INSERT INTO warden_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
                    new { v = m.Version, n = m.Name, t = DateTime.UtcNow.ToString("O") }, tx);
                await tx.CommitAsync(ct);
                done.Add(m);
            }
            return done;
        }
        finally
        {
            if (db.Dialect == Dialect.Postgres) await c.ExecuteAsync("SELECT pg_advisory_unlock(7226637)");
        }
    }
}
