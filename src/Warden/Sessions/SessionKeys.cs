using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Persistence;

namespace Warden.Sessions;

/// <summary>
/// The keys behind session tokens and cookies, derived (HKDF-SHA256, one label per purpose) from the configured
/// secrets so one secret never serves two purposes directly.
/// <list type="bullet">
/// <item>Token hashing and logout tokens: <c>secrets.default</c>, else <c>secrets.cookie</c>.</item>
/// <item>Cookie sealing: <c>secrets.cookie</c>, else <c>secrets.default</c> (Kratos' fallback order).</item>
/// </list>
/// In every list the first secret is used for new values and all of them are accepted, so secrets rotate by
/// prepending a new one.
/// <para>
/// With no secret configured at all we generate one and persist it in <c>warden_secrets</c> (insert-if-absent,
/// so several instances agree) rather than keeping it in memory: an in-memory secret would silently log
/// everyone out on each restart and break multi-instance deployments. The price is that the key sits next to
/// the data it protects, so a database writer could mint sessions; that is why startup warns loudly and
/// production configs should set <c>secrets.default</c>.
/// </para>
/// </summary>
public sealed class SessionKeys
{
    private const string GeneratedSecretName = "session_default";
    private readonly Database _db;
    private readonly ILogger<SessionKeys> _log;
    private readonly IReadOnlyList<string> _default;
    private readonly IReadOnlyList<string> _cookie;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile KeyRing? _ring;

    public SessionKeys(WardenConfig config, Database db, ILogger<SessionKeys> log)
    {
        _db = db;
        _log = log;
        _default = ReadSecrets(config, "secrets.default");
        _cookie = ReadSecrets(config, "secrets.cookie");
        if (_default.Count > 0 || _cookie.Count > 0) _ring = Build(_default.Count > 0 ? _default : _cookie, _cookie.Count > 0 ? _cookie : _default);
    }

    /// <summary>Secrets shorter than Kratos' minimum are refused at startup rather than weakening every session.</summary>
    public static IReadOnlyList<string> ReadSecrets(WardenConfig config, string key)
    {
        var node = config.Node(key);
        if (node is null) return [];
        if (node is not JsonArray array) throw new ConfigException(key, "must be a list of secrets");
        var list = new List<string>();
        foreach (var item in array)
        {
            if (item is not JsonValue v || !v.TryGetValue<string>(out var s)) throw new ConfigException(key, "every secret must be a string");
            if (s.Length < 16) throw new ConfigException(key, "every secret must be at least 16 characters long");
            list.Add(s);
        }
        return list;
    }

    /// <summary>The keys, loading (or creating) the persisted secret on first use when none is configured.</summary>
    public async ValueTask<KeyRing> GetAsync(CancellationToken ct = default)
    {
        if (_ring is { } ring) return ring;
        await _gate.WaitAsync(ct);
        try
        {
            if (_ring is null)
            {
                var secret = await LoadOrCreateGeneratedAsync(ct);
                _ring = Build([secret], [secret]);
            }
            return _ring;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// For synchronous callers (cookie writing), which run after a session was issued or read through
    /// <see cref="GetAsync"/>, so the keys are loaded. It does not load them itself: waiting here for the database
    /// could hold a pool thread, or, with the runtime's inline socket completions on, the one socket thread the load needs.
    /// </summary>
    public KeyRing Current => _ring ?? throw new InvalidOperationException("the session keys are read only after GetAsync loaded them");

    private async Task<string> LoadOrCreateGeneratedAsync(CancellationToken ct)
    {
        var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var inserted = await _db.WriteAsync(
            "INSERT INTO warden_secrets (nid, name, value, created_at) VALUES (@nid, @name, @value, @now) ON CONFLICT (nid, name) DO NOTHING",
            new { nid = Database.DefaultNetworkId, name = GeneratedSecretName, value = fresh, now = DateTime.UtcNow }, ct);
        await using var c = await _db.OpenAsync(ct);
        var value = await c.ExecuteScalarAsync<string>(new SqlStatement(
            "SELECT value FROM warden_secrets WHERE nid = @nid AND name = @name",
            new { nid = Database.DefaultNetworkId, name = GeneratedSecretName }, cancellationToken: ct));
        _log.LogWarning(inserted > 0
            ? "No secrets.default or secrets.cookie is configured: generated a session secret and stored it in the database. Configure secrets.default for production."
            : "No secrets.default or secrets.cookie is configured: using the generated session secret stored in the database. Configure secrets.default for production.");
        return value ?? throw new InvalidOperationException("the generated session secret could not be stored");
    }

    private static KeyRing Build(IReadOnlyList<string> tokenSecrets, IReadOnlyList<string> cookieSecrets) => new(
        tokenSecrets.Select(s => Derive(s, "warden/session-token-hash/v1")).ToArray(),
        tokenSecrets.Select(s => Derive(s, "warden/logout-token/v1")).ToArray(),
        cookieSecrets.Select(s => Derive(s, "warden/session-cookie/v1")).ToArray());

    private static byte[] Derive(string secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: null, info: Encoding.UTF8.GetBytes(purpose));
}

/// <summary>Per-purpose keys; index 0 is current, the rest are still accepted.</summary>
public sealed record KeyRing(IReadOnlyList<byte[]> TokenHash, IReadOnlyList<byte[]> Logout, IReadOnlyList<byte[]> Cookie);
