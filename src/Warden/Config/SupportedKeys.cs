using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Warden.Config;

/// <summary>
/// Which parts of the Kratos config Warden implements. Every key of the Kratos format is accepted, but a
/// key outside <see cref="Implemented"/> has no effect yet, and the operator is told so once at startup
/// instead of the value being silently ignored. Extend these lists as features land.
/// </summary>
public static class SupportedKeys
{
    /// <summary>Implemented key prefixes, dotted; <c>*</c> stands for any one segment.</summary>
    public static IReadOnlyList<string> Implemented { get; } =
    [
        "dsn",
        "serve",
        "log",
        "secrets",
        "identity",
        "hashers",
        "session.lifespan", "session.cookie", "session.whoami.required_aal", "session.earliest_possible_extend",
        "cookies",
        "courier.smtp.connection_uri", "courier.smtp.from_address", "courier.smtp.from_name", "courier.smtp.headers",
        "courier.smtp.local_name", "courier.templates", "courier.template_override_path", "courier.message_retries",
        "courier.worker", "courier.channels", "courier.sms",
        "selfservice.default_browser_return_url",
        "selfservice.allowed_return_urls",
        .. Flows("login", "registration", "settings", "logout", "error", "recovery", "verification"),
        "selfservice.flows.logout.clear_browser_data",
        "selfservice.flows.recovery.notify_unknown_recipients", "selfservice.flows.verification.notify_unknown_recipients",
        "selfservice.methods.password",
        "selfservice.methods.profile",
        "selfservice.methods.code",
        "selfservice.methods.link",
        "clients.http.disallow_private_ip_ranges",
        "warden.ui",
        "warden.hashing",
        "warden.session_cache",
    ];

    /// <summary>Keys accepted without effect and without a warning: flag mirrors and Ory Network toggles.</summary>
    public static IReadOnlyList<string> Silent { get; } =
        ["version", "dev", "feature_flags", "help", "config", "sqa-opt-out", "watch-courier", "expose-metrics-port", "revision"];

    /// <summary>
    /// Keys Warden adds to the Kratos format (or types it accepts more leniently), in the notation of
    /// ConfigKeys.embedded.json: <c>string</c>, <c>integer</c>, <c>boolean</c>, <c>array</c> (items at
    /// <c>key.#</c>), <c>object</c>, <c>object*</c> (also accepts unlisted keys), alternatives joined by <c>|</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Extensions { get; } = new Dictionary<string, string>
    {
        // Proxies whose X-Forwarded-For is believed when recording session devices.
        ["serve.public.trusted_proxies"] = "array",
        ["serve.public.trusted_proxies.#"] = "string",
        // PBKDF2 as a hasher for new passwords (Kratos only imports PBKDF2 hashes).
        ["hashers.pbkdf2"] = "object*",
        ["hashers.pbkdf2.algorithm"] = "string",
        ["hashers.pbkdf2.iterations"] = "integer",
        ["hashers.pbkdf2.salt_length"] = "integer",
        ["hashers.pbkdf2.key_length"] = "integer",
        // Kratos' schema types these as strings; `secure: true` is what people write.
        ["cookies.secure"] = "boolean|string",
        ["session.cookie.secure"] = "boolean|string",
        ["warden"] = "object", ["warden.ui"] = "object", ["warden.ui.product_name"] = "string", ["warden.ui.logo_url"] = "string", ["warden.ui.primary_color"] = "string",
        // Bounded hashing: concurrent hash computations, how many may wait before new ones get 503, and the time slice.
        ["warden.hashing"] = "object", ["warden.hashing.max_concurrency"] = "integer", ["warden.hashing.max_queue"] = "integer",
        ["warden.hashing.time_slice"] = "string", ["warden.hashing.batch"] = "string",
        // The whoami cache (Sessions/Cache): on by default, invalidated by this process and the database's change feed.
        ["warden.session_cache"] = "object", ["warden.session_cache.enabled"] = "boolean", ["warden.session_cache.max_entries"] = "integer",
        ["warden.session_cache.max_age"] = "string", ["warden.session_cache.poll_interval"] = "string",
    };

    private static IEnumerable<string> Flows(params string[] flows) =>
        from flow in flows
        from key in new[] { "ui_url", "lifespan", "after", "before", "enabled", "use", "privileged_session_max_age", "required_aal" }
        select $"selfservice.flows.{flow}.{key}";

    /// <summary>
    /// The keys present in <paramref name="root"/> that Warden does not implement, each reported at the
    /// highest level that is wholly unsupported (<c>selfservice.methods.oidc</c>, not each of its leaves).
    /// A section switched off with <c>enabled: false</c> is not reported: it asks for nothing.
    /// </summary>
    public static IReadOnlyList<string> FindUnsupported(JsonObject root)
    {
        var found = new List<string>();
        Walk(root, [], found);
        return found;
    }

    /// <summary>Logs one warning listing every unsupported key (names only, never values), once per config.</summary>
    public static void LogUnsupportedOnce(WardenConfig config, ILogger logger)
    {
        if (Interlocked.Exchange(ref config.UnsupportedKeysLogged, 1) == 1) return;
        var keys = FindUnsupported(config.Root);
        if (keys.Count == 0) return;
        logger.LogWarning("These config keys are accepted but not implemented by Warden yet, so they have no effect: {Keys}",
            string.Join(", ", keys));
    }

    private static void Walk(JsonObject obj, List<string> path, List<string> found)
    {
        foreach (var (key, value) in obj)
        {
            if (value is null) continue;
            path.Add(key);
            if (Matches(Silent, path, prefixOnly: false) || Matches(Implemented, path, prefixOnly: false)) { }
            else if (Matches(Implemented, path, prefixOnly: true) && value is JsonObject child) Walk(child, path, found);
            else if (!(value is JsonObject section && section["enabled"] is JsonValue e && e.TryGetValue<bool>(out var on) && !on))
                found.Add(string.Join('.', path));
            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>
    /// prefixOnly=false: some pattern covers the path (the pattern is a prefix of it).
    /// prefixOnly=true: the path leads towards some pattern (it is a proper prefix of one).
    /// </summary>
    private static bool Matches(IReadOnlyList<string> patterns, List<string> path, bool prefixOnly)
    {
        foreach (var pattern in patterns)
        {
            var parts = pattern.Split('.');
            if (prefixOnly ? parts.Length <= path.Count : parts.Length > path.Count) continue;
            var n = Math.Min(parts.Length, path.Count);
            var ok = true;
            for (var i = 0; i < n && ok; i++) ok = parts[i] == "*" || parts[i] == path[i];
            if (ok) return true;
        }
        return false;
    }
}
