using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Config;
using Warden.Hashing;
using Warden.Persistence;
using Warden.Sessions;

namespace Warden.Bench;

/// <summary>
/// Seeds N identities and S sessions in bulk. One template identity is created through the admin API, so its
/// rows are exactly what Warden writes (identity, password and code credentials, identifiers, addresses); the
/// template is then cloned with fresh ids and e-mail addresses by COPY/prepared inserts, and deleted. Sessions
/// get their own random tokens, stored as Warden's keyed digests; the plaintext tokens and sealed cookies are
/// written to files for the load generator.
/// </summary>
internal static class Seeder
{
    private const string TemplateEmail = "template-0@bench.example.org";
    private static readonly string[] Tables =
        ["identities", "identity_credentials", "identity_credential_identifiers", "identity_verifiable_addresses", "identity_recovery_addresses"];

    public static async Task<int> RunAsync(Options o)
    {
        var config = ConfigLoader.LoadUnvalidated([o.Str("config")], new Dictionary<string, string?>(), dev: false);
        var admin = o.Str("admin").TrimEnd('/');
        var identities = o.Int("identities", 100_000);
        var sessions = Math.Min(o.Int("sessions", identities), identities);
        var outDir = o.Str("out");
        // Created up front: the token and id files are written after the bulk load, too late to fail on a missing directory.
        Directory.CreateDirectory(outDir);
        var clock = Stopwatch.StartNew();

        await using var db = new Database(Dsn.Parse(config.Dsn));
        var hash = await new PasswordHasher(config).HashAsync(o.Maybe("password") ?? LoginUsers.Password);
        var templateId = await CreateTemplateAsync(admin, hash);
        await using var c = await db.OpenAsync();
        var template = new Dictionary<string, List<Dictionary<string, object?>>>();
        foreach (var table in Tables) template[table] = await ReadRowsAsync(c, table, templateId);

        const int chunk = 10_000;
        var ids = new List<Guid>(identities);
        for (var start = 0; start < identities; start += chunk)
        {
            var n = Math.Min(chunk, identities - start);
            var clones = Enumerable.Range(start, n).Select(i => Clone(template, templateId, i + 1)).ToList();
            foreach (var table in Tables)
            {
                var columns = template[table].FirstOrDefault()?.Keys.ToArray();
                if (columns is null) continue;
                await BulkWriter.WriteAsync(c, table, columns, clones.SelectMany(x => x.Rows[table]).Select(r => columns.Select(k => r[k]).ToArray()));
            }
            ids.AddRange(clones.Select(x => x.IdentityId));
        }
        // A real PostgreSQL would have auto-vacuumed and auto-analyzed long before 100k rows; do both now, so plans
        // are realistic, index-only scans find a visibility map, and autovacuum does not start on the bulk load in
        // the middle of a later measurement.
        if (db.Dialect == Dialect.Postgres) await VacuumAnalyzeAsync(c, Tables);
        Console.Error.WriteLine($"seeded {identities} identities in {clock.Elapsed.TotalSeconds:0.0}s");

        var keys = await new SessionKeys(config, db, NullLogger<SessionKeys>.Instance).GetAsync();
        var cookieName = config.String("session.cookie.name") is { Length: > 0 } name ? name : SessionOptions.DefaultCookieName;
        await SeedSessionsAsync(c, keys, cookieName, ids.Take(sessions).ToList(), outDir);
        if (db.Dialect == Dialect.Postgres) await VacuumAnalyzeAsync(c, ["sessions", "session_devices"]);
        await File.WriteAllLinesAsync(Path.Combine(outDir, "ids.txt"), ids.Select(i => i.ToString("D")));
        using (var http = new HttpClient())
            (await http.DeleteAsync($"{admin}/admin/identities/{templateId:D}")).EnsureSuccessStatusCode();
        Console.WriteLine($"SEED identities={identities} sessions={sessions} seconds={clock.Elapsed.TotalSeconds:0.0}");
        return 0;
    }

    private static async Task<Guid> CreateTemplateAsync(string admin, string hash)
    {
        using var http = new HttpClient();
        var body = new JsonObject
        {
            ["schema_id"] = "default",
            ["traits"] = new JsonObject { ["email"] = TemplateEmail },
            ["credentials"] = new JsonObject { ["password"] = new JsonObject { ["config"] = new JsonObject { ["hashed_password"] = hash } } },
        };
        var response = await http.PostAsJsonAsync($"{admin}/admin/identities", body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new BenchException($"creating the template identity failed: {(int)response.StatusCode} {text}");
        return Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>());
    }

    private static async Task<List<Dictionary<string, object?>>> ReadRowsAsync(DbConnection c, string table, Guid identityId)
    {
        var key = table == "identities" ? "id" : "identity_id";
        return (await c.QueryAsync<Dictionary<string, object?>>($"SELECT * FROM {table} WHERE {key} = @id", new { id = identityId })).ToList();
    }

    private sealed record Cloned(Guid IdentityId, Dictionary<string, List<Dictionary<string, object?>>> Rows);

    /// <summary>Every id of the template (identity, credentials, identifiers, addresses) gets a fresh one; references follow.</summary>
    private static Cloned Clone(Dictionary<string, List<Dictionary<string, object?>>> template, Guid templateId, int n)
    {
        var map = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase) { [templateId.ToString("D")] = Guid.NewGuid() };
        foreach (var row in template.Values.SelectMany(r => r)) map.TryAdd(Text(row["id"])!, Guid.NewGuid());
        var email = $"bench-{n}@example.org";
        var rows = new Dictionary<string, List<Dictionary<string, object?>>>();
        foreach (var (table, list) in template)
            rows[table] = list.Select(r => r.ToDictionary(kv => kv.Key, kv => Substitute(kv.Value, map, email))).ToList();
        return new Cloned(map[templateId.ToString("D")], rows);
    }

    private static object? Substitute(object? v, Dictionary<string, Guid> map, string email) => v switch
    {
        Guid g => map.TryGetValue(g.ToString("D"), out var fresh) ? fresh : g,
        string s when map.TryGetValue(s, out var fresh) => fresh.ToString("D"),
        string s when s.Contains(TemplateEmail, StringComparison.Ordinal) => s.Replace(TemplateEmail, email, StringComparison.Ordinal),
        _ => v,
    };

    private static string? Text(object? v) => v switch { Guid g => g.ToString("D"), null => null, _ => v.ToString() };

    private static async Task SeedSessionsAsync(DbConnection c, KeyRing keys, string cookieName, List<Guid> identityIds, string outDir)
    {
        var w = WardenInternals.Load();
        var nid = Database.DefaultNetworkId;
        var now = Microseconds(DateTime.UtcNow);
        var expires = now.AddHours(23);
        var methods = new JsonArray(new JsonObject { ["method"] = "password", ["aal"] = "aal1", ["completed_at"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'") }).ToJsonString();
        var sessionRows = new List<object?[]>(identityIds.Count);
        var deviceRows = new List<object?[]>(identityIds.Count);
        var tokens = new List<string>(identityIds.Count);
        var cookies = new List<string>(identityIds.Count);
        foreach (var identityId in identityIds)
        {
            var id = Guid.NewGuid();
            var token = w.NewSessionToken();
            var logoutHash = w.HashToken(keys.TokenHash[0], w.LogoutToken(keys.Logout[0], id));
            sessionRows.Add([id, nid, identityId, w.HashToken(keys.TokenHash[0], token), logoutHash, true, "aal1", methods, now, now, expires, now, now]);
            deviceRows.Add([Guid.NewGuid(), nid, id, "127.0.0.1", "warden-bench", null, now, now]);
            tokens.Add(token);
            cookies.Add(w.SealCookie(keys.Cookie[0], cookieName, w.CookiePayload(token, expires)));
        }
        await BulkWriter.WriteAsync(c, "sessions",
            ["id", "nid", "identity_id", "token_hash", "logout_token_hash", "active", "aal", "authentication_methods",
             "authenticated_at", "issued_at", "expires_at", "created_at", "updated_at"], sessionRows);
        await BulkWriter.WriteAsync(c, "session_devices",
            ["id", "nid", "session_id", "ip_address", "user_agent", "location", "created_at", "updated_at"], deviceRows);
        await File.WriteAllLinesAsync(Path.Combine(outDir, "tokens.txt"), tokens);
        await File.WriteAllLinesAsync(Path.Combine(outDir, "cookies.txt"), cookies.Select(v => $"{cookieName}={v}"));
    }

    private static async Task VacuumAnalyzeAsync(DbConnection c, IEnumerable<string> tables)
    {
        foreach (var table in tables)
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "VACUUM (ANALYZE) " + table;
            cmd.CommandTimeout = 0; // a million rows (--large) can take longer than the default 30 s
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static DateTime Microseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
}
