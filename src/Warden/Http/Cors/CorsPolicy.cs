using Warden.Config;

namespace Warden.Http.Cors;

/// <summary>
/// <c>serve.public.cors</c> resolved once at startup. Keys left out take Kratos' defaults (which differ from
/// the bare <see cref="CorsConfig"/> defaults: any origin, and the Kratos header list), so a kratos.yml that
/// only says <c>enabled: true</c> behaves as it does with Kratos.
/// </summary>
internal sealed class CorsPolicy
{
    private static readonly string[] KratosAllowedHeaders = ["Authorization", "Content-Type", "Max-Age", "X-Session-Token", "X-XSRF-TOKEN", "X-CSRF-TOKEN"];
    private static readonly string[] KratosExposedHeaders = ["Content-Type"];
    private static readonly HashSet<string> KnownMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"];

    public bool Enabled { get; private init; }
    public IReadOnlyList<OriginPattern> Origins { get; private init; } = [];
    public IReadOnlyList<string> Methods { get; private init; } = [];
    public IReadOnlyList<string> Headers { get; private init; } = [];
    public IReadOnlyList<string> ExposedHeaders { get; private init; } = [];
    public bool AllowCredentials { get; private init; }
    public int MaxAgeSeconds { get; private init; }

    public static CorsPolicy From(WardenConfig config)
    {
        const string path = "serve.public.cors";
        var c = config.Section<CorsConfig>(path);
        if (!c.Enabled) return new CorsPolicy();
        bool Has(string key) => config.Node($"{path}.{key}") is not null;
        var origins = Has("allowed_origins") ? c.AllowedOrigins : ["*"];
        var methods = c.AllowedMethods.Select(m => m.Trim().ToUpperInvariant()).Distinct().ToList();
        foreach (var m in methods)
            if (!KnownMethods.Contains(m)) throw new ConfigException($"{path}.allowed_methods", $"'{m}' is not an HTTP method");
        if (c.MaxAge < 0) throw new ConfigException($"{path}.max_age", "must not be negative");
        return new CorsPolicy
        {
            Enabled = true,
            Origins = origins.Select(OriginPattern.Parse).ToList(),
            Methods = methods,
            Headers = (Has("allowed_headers") ? c.AllowedHeaders : [.. KratosAllowedHeaders]).Select(h => h.Trim()).Where(h => h.Length > 0).ToList(),
            ExposedHeaders = (Has("exposed_headers") ? c.ExposedHeaders : [.. KratosExposedHeaders]).Select(h => h.Trim()).Where(h => h.Length > 0).ToList(),
            AllowCredentials = c.AllowCredentials,
            MaxAgeSeconds = c.MaxAge,
        };
    }

    /// <summary>The matching entry for an Origin header value, or null when the origin is not allowed.</summary>
    public OriginPattern? Match(string? origin)
    {
        if (!ParsedOrigin.TryParse(origin, out var parsed)) return null;
        foreach (var p in Origins)
            if (p.Matches(parsed)) return p;
        return null;
    }

    public bool AllowsMethod(string method) => Methods.Contains(method.ToUpperInvariant());

    /// <summary>
    /// Requested headers (Access-Control-Request-Headers) that are all allowed, or null if one is not.
    /// Kratos compat: Origin is always allowed, as rs/cors does.
    /// </summary>
    public List<string>? AllowedRequestHeaders(string? requested)
    {
        var result = new List<string>();
        foreach (var h in (requested ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!h.Equals("Origin", StringComparison.OrdinalIgnoreCase) && !Headers.Any(a => a == "*" || a.Equals(h, StringComparison.OrdinalIgnoreCase)))
                return null;
            result.Add(h);
        }
        return result;
    }
}
