using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Warden.Schemas;

namespace Warden.Config;

/// <summary>
/// Value rules for the keys Warden uses, by template path (<c>*</c> = any one segment, <c>#</c> = list item).
/// A rule returns null when the value is fine, otherwise the problem in words (without the key, which
/// the validator adds). Rules check the type themselves, so their message can say what a valid value is.
/// </summary>
internal static partial class ConfigRules
{
    private delegate string? Rule(JsonNode value, RuleContext context);

    private static readonly string[] Flows = ["login", "registration", "settings", "logout", "error", "recovery", "verification"];

    private static readonly (string[] Pattern, Rule Rule)[] Rules = Build().Select(r => (r.Pattern.Split('.'), r.Rule)).ToArray();

    private static IEnumerable<(string Pattern, Rule Rule)> Build()
    {
        yield return ("dsn", DsnRule);
        yield return ("serve.*.port", Port);
        yield return ("serve.*.host", Host);
        yield return ("serve.*.base_url", HttpUrl);
        yield return ("selfservice.default_browser_return_url", UrlOrPath);
        yield return ("selfservice.allowed_return_urls.#", UrlOrPath);
        yield return ("selfservice.flows.*.ui_url", UrlOrPath);
        yield return ("selfservice.flows.*.lifespan", PositiveDuration);
        yield return ("selfservice.flows.settings.privileged_session_max_age", PositiveDuration);
        yield return ("selfservice.flows.*.after.default_browser_return_url", UrlOrPath);
        yield return ("selfservice.flows.*.after.*.default_browser_return_url", UrlOrPath);
        yield return ("selfservice.flows.verification.use", OneOf("link", "code"));
        yield return ("selfservice.flows.recovery.use", OneOf("link", "code"));
        yield return ("selfservice.flows.settings.required_aal", OneOf("aal1", "highest_available"));
        yield return ("selfservice.methods.code.config.lifespan", PositiveDuration);
        yield return ("selfservice.methods.link.config.lifespan", PositiveDuration);
        yield return ("session.lifespan", PositiveDuration);
        yield return ("session.earliest_possible_extend", PositiveDuration);
        yield return ("session.whoami.required_aal", OneOf("aal1", "highest_available"));
        yield return ("session.cookie.same_site", OneOf("Strict", "Lax", "None"));
        yield return ("cookies.same_site", OneOf("Strict", "Lax", "None"));
        yield return ("session.cookie.path", CookiePath);
        yield return ("cookies.path", CookiePath);
        yield return ("hashers.algorithm", OneOf("bcrypt", "argon2", "pbkdf2"));
        yield return ("hashers.bcrypt.cost", IntegerBetween(4, 31));
        yield return ("hashers.argon2.memory", ByteSize);
        yield return ("hashers.argon2.dedicated_memory", ByteSize);
        yield return ("hashers.argon2.iterations", IntegerBetween(1, int.MaxValue));
        yield return ("hashers.argon2.parallelism", IntegerBetween(1, 1024));
        yield return ("hashers.argon2.salt_length", IntegerBetween(16, 1024));
        yield return ("hashers.argon2.key_length", IntegerBetween(16, 1024));
        yield return ("hashers.argon2.expected_duration", PositiveDuration);
        yield return ("hashers.argon2.expected_deviation", PositiveDuration);
        yield return ("secrets.default.#", SecretAtLeast(16));
        yield return ("secrets.cookie.#", SecretAtLeast(16));
        yield return ("secrets.pagination.#", SecretAtLeast(16));
        // Kratos compat: cipher secrets are used as 32-byte keys, so their length is exact.
        yield return ("secrets.cipher.#", (v, _) => Text(v) is { } s ? s.Length == 32 ? null : $"must be exactly 32 characters long, got {s.Length}" : "expected a string");
        yield return ("identity.schemas", (v, _) => v is JsonArray a ? a.Count > 0 ? null : "must list at least one schema" : "expected a list of {id, url} entries");
        yield return ("identity.schemas.#", (v, _) => v is JsonObject ? null : "expected a mapping with id and url");
        yield return ("identity.schemas.#.id", (v, _) => Text(v) is { Length: > 0 } ? null : "expected a non-empty string");
        yield return ("identity.schemas.#.url", SchemaUrl);
        yield return ("identity.default_schema_id", (v, _) => Text(v) is { Length: > 0 } ? null : "expected a non-empty string");
        yield return ("courier.smtp.connection_uri", SmtpUri);
        yield return ("courier.smtp.from_address", (v, c) => Text(v) is { } s && s.IndexOf('@') > 0 && s.IndexOf('@') < s.Length - 1 ? null : $"expected an e-mail address, got {Show(v, c)}");
        yield return ("courier.delivery_strategy", OneOf("smtp", "http"));
        yield return ("courier.message_retries", IntegerBetween(0, int.MaxValue));
        yield return ("log.level", OneOf("trace", "debug", "info", "warning", "error", "fatal", "panic"));
        yield return ("log.format", OneOf("json", "text"));
        yield return ("version", (v, c) => Text(v) is { } s && (s.Length == 0 || SemVer().IsMatch(s)) ? null : $"expected a version such as v1.3.0, got {Show(v, c)}");
    }

    /// <summary>The rule for a template path, or null when only the type is checked.</summary>
    public static Func<JsonNode, RuleContext, string?>? Find(List<string> template)
    {
        foreach (var (pattern, rule) in Rules)
        {
            if (pattern.Length != template.Count) continue;
            var ok = true;
            for (var i = 0; i < pattern.Length && ok; i++) ok = pattern[i] == "*" || pattern[i] == template[i];
            if (ok) return (v, c) => rule(v, c);
        }
        return null;
    }

    private static string? Text(JsonNode v) => JsonKit.AsString(v);

    private static string Show(JsonNode v, RuleContext c) => ConfigValidator.Show(v, c.Key);

    private static long? Integer(JsonNode v)
    {
        if (v is not JsonValue j || KeyType.KindOf(v) != "integer") return null;
        if (j.TryGetValue<long>(out var l)) return l;
        if (j.TryGetValue<int>(out var i)) return i;
        return j.TryGetValue<double>(out var d) ? (long)d : null;
    }

    private static string? DsnRule(JsonNode v, RuleContext c)
    {
        if (Text(v) is not { } s) return $"expected a database URL such as sqlite://warden.db or postgres://…, got {Show(v, c)}";
        try
        {
            Persistence.Dsn.Parse(s);
            return null;
        }
        catch (ConfigException e)
        {
            return e.Problem;
        }
    }

    /// <summary>Port 0 (any free port) is a Warden extension used by tests and tools; Kratos starts at 1.</summary>
    private static string? Port(JsonNode v, RuleContext c) =>
        Integer(v) is >= 0 and <= 65535 ? null : $"expected an integer between 1 and 65535, got {Show(v, c)}";

    private static string? Host(JsonNode v, RuleContext c) =>
        Text(v) is { } s && (s is "" or "*" or "localhost" || System.Net.IPAddress.TryParse(s, out _))
            ? null
            : $"expected an IP address to listen on (such as 0.0.0.0 or 127.0.0.1) or localhost, got {Show(v, c)}";

    private static string? HttpUrl(JsonNode v, RuleContext c) =>
        Text(v) is { } s && Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.Host.Length > 0
            ? null
            : $"expected an absolute http(s) URL, got {Show(v, c)}";

    /// <summary>Kratos compat: return and UI URLs are URI references: absolute URLs (any scheme, for app deep
    /// links; <c>*.</c> wildcard hosts in allow lists) or paths on the public base URL.</summary>
    private static string? UrlOrPath(JsonNode v, RuleContext c)
    {
        var s = Text(v);
        if (s is { Length: > 0 } && s[0] == '/' && !s.StartsWith("//", StringComparison.Ordinal)) return null;
        if (s is not null && Uri.TryCreate(s.Replace("://*.", "://wildcard.", StringComparison.Ordinal), UriKind.Absolute, out var u) &&
            s.Contains("://", StringComparison.Ordinal) && (u.Scheme is not ("http" or "https") || u.Host.Length > 0))
            return null;
        return $"expected an absolute URL (such as https://example.org/path) or a path starting with /, got {Show(v, c)}";
    }

    private static string? PositiveDuration(JsonNode v, RuleContext c) =>
        Text(v) is { } s && GoDuration.TryParse(s, out var d)
            ? d > TimeSpan.Zero ? null : $"must be longer than zero, got {Show(v, c)}"
            : $"expected a duration such as 30s, 15m, 1h or 1h30m, got {Show(v, c)}";

    private static Rule OneOf(params string[] allowed) => (v, c) =>
        Text(v) is { } s && allowed.Contains(s, StringComparer.Ordinal)
            ? null
            : $"expected one of {string.Join(", ", allowed)}, got {Show(v, c)}";

    private static Rule IntegerBetween(long min, long max) => (v, c) =>
        Integer(v) is { } n && n >= min && n <= max
            ? null
            : max == int.MaxValue
                ? $"expected an integer of at least {min}, got {Show(v, c)}"
                : $"expected an integer between {min} and {max}, got {Show(v, c)}";

    private static string? CookiePath(JsonNode v, RuleContext c) =>
        Text(v) is { Length: > 0 } s && s[0] == '/' && !s.Any(ch => ch is ';' or ',' || char.IsControl(ch) || char.IsWhiteSpace(ch))
            ? null
            : $"expected a URL path starting with /, got {Show(v, c)}";

    private static string? ByteSize(JsonNode v, RuleContext c) =>
        Text(v) is { } s && ByteSizePattern().IsMatch(s) ? null : $"expected a size such as 64MB or 1GB, got {Show(v, c)}";

    private static Rule SecretAtLeast(int min) => (v, _) =>
        Text(v) is { } s ? s.Length >= min ? null : $"must be at least {min} characters long, got {s.Length}" : "expected a string";

    private static string? SchemaUrl(JsonNode v, RuleContext c)
    {
        var s = Text(v);
        var i = s?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        var scheme = i > 0 ? s![..i] : null;
        if (s is null || scheme is not ("file" or "base64" or "http" or "https") || s.Length <= scheme.Length + 3)
            return $"expected a schema location starting with file://, base64://, http:// or https://, got {Show(v, c)}";
        return null;
    }

    private static string? SmtpUri(JsonNode v, RuleContext c) =>
        Text(v) is { } s && (s.StartsWith("smtp://", StringComparison.Ordinal) || s.StartsWith("smtps://", StringComparison.Ordinal)) &&
        Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Host.Length > 0
            ? null
            : $"expected a URL such as smtp://user:password@mail.example.org:587/, got {Show(v, c)}";

    [GeneratedRegex(@"^[0-9]+(B|KB|MB|GB|TB|PB|EB)$")]
    private static partial Regex ByteSizePattern();

    [GeneratedRegex(@"^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();
}
