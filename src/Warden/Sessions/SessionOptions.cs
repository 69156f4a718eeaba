using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Config;

namespace Warden.Sessions;

/// <summary>
/// Everything the session feature reads from config, resolved once at startup so a bad value stops the
/// server with the key named instead of failing on the first login.
/// </summary>
public sealed class SessionOptions
{
    public const string DefaultCookieName = "ory_kratos_session";

    public TimeSpan Lifespan { get; init; } = TimeSpan.FromHours(24);
    /// <summary>
    /// <c>session.earliest_possible_extend</c>: a session is only extended once it expires within this window
    /// (fewer writes). Kratos defaults it to the lifespan, i.e. a session can always be extended.
    /// </summary>
    public TimeSpan EarliestPossibleExtend { get; init; } = TimeSpan.FromHours(24);
    public string CookieName { get; init; } = DefaultCookieName;
    public string? CookieDomain { get; init; }
    public string CookiePath { get; init; } = "/";
    public SameSiteMode CookieSameSite { get; init; } = SameSiteMode.Lax;
    public bool CookiePersistent { get; init; } = true;
    /// <summary>Secure unless --dev or explicitly switched off (and always for SameSite=None, which browsers require).</summary>
    public bool CookieSecure { get; init; } = true;
    /// <summary><c>session.whoami.required_aal</c>: aal1 | highest_available (Kratos' default).</summary>
    public string WhoamiRequiredAal { get; init; } = "highest_available";
    /// <summary>
    /// Peers whose X-Forwarded-For is believed (<c>serve.public.trusted_proxies</c>, a Warden extension:
    /// IPs or CIDRs). Empty means the connection's address is the device IP, whatever headers say.
    /// </summary>
    public IReadOnlyList<IpRange> TrustedProxies { get; init; } = [];

    public static SessionOptions From(WardenConfig config)
    {
        var session = config.Section<SessionSection>("session");
        var cookies = config.Section<CookiesSection>("cookies");
        var lifespan = session.Lifespan ?? TimeSpan.FromHours(24);
        if (lifespan <= TimeSpan.Zero) throw new ConfigException("session.lifespan", "must be a positive duration such as 24h");
        var earliest = session.EarliestPossibleExtend ?? lifespan;
        if (earliest < TimeSpan.Zero) throw new ConfigException("session.earliest_possible_extend", "must not be negative");
        var sameSite = ParseSameSite(session.Cookie?.SameSite ?? cookies.SameSite, session.Cookie?.SameSite is null ? "cookies.same_site" : "session.cookie.same_site");
        var aal = session.Whoami?.RequiredAal ?? "highest_available";
        if (aal is not ("aal1" or "highest_available"))
            throw new ConfigException("session.whoami.required_aal", "must be aal1 or highest_available");
        var name = session.Cookie?.Name is { Length: > 0 } n ? n : DefaultCookieName;
        if (name.Any(ch => ch <= ' ' || ch >= 127 || "()<>@,;:\\\"/[]?={}".Contains(ch)))
            throw new ConfigException("session.cookie.name", "is not a valid cookie name");
        return new SessionOptions
        {
            Lifespan = lifespan,
            EarliestPossibleExtend = earliest,
            CookieName = name,
            CookieDomain = NonEmpty(session.Cookie?.Domain) ?? NonEmpty(cookies.Domain),
            CookiePath = NonEmpty(session.Cookie?.Path) ?? NonEmpty(cookies.Path) ?? "/",
            CookieSameSite = sameSite,
            CookiePersistent = session.Cookie?.Persistent ?? true,
            // Browsers drop SameSite=None cookies that are not Secure, so neither --dev nor config can relax that case.
            CookieSecure = (ExplicitSecure(config, "session.cookie.secure") ?? ExplicitSecure(config, "cookies.secure") ?? !config.Dev) ||
                           sameSite == SameSiteMode.None,
            WhoamiRequiredAal = aal,
            TrustedProxies = ParseProxies(config),
        };
    }

    /// <summary>
    /// <c>session.cookie.secure</c> / <c>cookies.secure</c>: Kratos types them as strings, people write booleans;
    /// both spellings are read. Absent means "Secure unless --dev".
    /// </summary>
    private static bool? ExplicitSecure(WardenConfig config, string key) => config.Node(key) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s.Trim(), out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) && s.Trim().Length == 0 => null,
        _ => throw new ConfigException(key, "must be true or false"),
    };

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static SameSiteMode ParseSameSite(string? value, string key) => value switch
    {
        null or "" => SameSiteMode.Lax,
        _ when value.Equals("Lax", StringComparison.OrdinalIgnoreCase) => SameSiteMode.Lax,
        _ when value.Equals("Strict", StringComparison.OrdinalIgnoreCase) => SameSiteMode.Strict,
        _ when value.Equals("None", StringComparison.OrdinalIgnoreCase) => SameSiteMode.None,
        _ => throw new ConfigException(key, "must be Strict, Lax or None"),
    };

    private static List<IpRange> ParseProxies(WardenConfig config)
    {
        const string key = "serve.public.trusted_proxies";
        var list = config.Section<List<string>>(key);
        var ranges = new List<IpRange>();
        foreach (var entry in list)
            ranges.Add(IpRange.TryParse(entry, out var r) ? r : throw new ConfigException(key, $"'{entry}' is not an IP address or CIDR range"));
        return ranges;
    }

    private sealed class SessionSection
    {
        public TimeSpan? Lifespan { get; set; }
        public TimeSpan? EarliestPossibleExtend { get; set; }
        public CookieSection? Cookie { get; set; }
        public WhoamiSection? Whoami { get; set; }
    }

    private sealed class CookieSection
    {
        public string? Name { get; set; }
        public string? Domain { get; set; }
        public string? Path { get; set; }
        public string? SameSite { get; set; }
        public bool? Persistent { get; set; }
    }

    private sealed class WhoamiSection
    {
        public string? RequiredAal { get; set; }
    }

    private sealed class CookiesSection
    {
        public string? Domain { get; set; }
        public string? Path { get; set; }
        public string? SameSite { get; set; }
    }
}

/// <summary>An IP address or CIDR block (<c>10.0.0.0/8</c>, <c>::1</c>).</summary>
public readonly record struct IpRange(IPAddress Network, int PrefixLength)
{
    public static bool TryParse(string? text, out IpRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split('/', 2);
        if (!IPAddress.TryParse(parts[0], out var ip)) return false;
        ip = Normalize(ip);
        var max = ip.GetAddressBytes().Length * 8;
        var prefix = max;
        if (parts.Length == 2 && (!int.TryParse(parts[1], out prefix) || prefix < 0 || prefix > max)) return false;
        range = new IpRange(ip, prefix);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        var a = Normalize(address).GetAddressBytes();
        var n = Network.GetAddressBytes();
        if (a.Length != n.Length) return false;
        var bits = PrefixLength;
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask)) return false;
        }
        return true;
    }

    /// <summary>IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; compare and record them as IPv4.</summary>
    public static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}
