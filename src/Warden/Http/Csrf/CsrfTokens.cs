using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Warden.Config;

namespace Warden.Http.Csrf;

/// <summary>
/// Double-submit CSRF protection for browser flows. The browser holds a random 32-byte token in an
/// HttpOnly cookie; every rendered form carries a freshly masked copy (random pad || pad XOR token), so
/// the value in the page changes on each render (no BREACH-style compression oracle) while still proving
/// knowledge of the cookie. Checks are constant-time.
/// </summary>
public sealed class CsrfTokens(BaseUrls urls, WardenConfig config)
{
    private const int TokenBytes = 32;
    private readonly CookieOptionsSource _cookies = new(config);

    /// <summary>
    /// Kratos compat: the cookie name is suffixed with a hash of the public base URL, so several
    /// deployments on one parent domain do not overwrite each other's tokens.
    /// </summary>
    public string CookieName
    {
        get
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(urls.Public.ToString()));
            return "csrf_token_" + Convert.ToHexStringLower(hash)[..16];
        }
    }

    /// <summary>The raw token from the request's cookie, or null when absent or malformed.</summary>
    public byte[]? FromRequest(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value)) return null;
        try
        {
            var raw = Convert.FromBase64String(value);
            return raw.Length == TokenBytes ? raw : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Returns the browser's token, creating and setting the cookie when it has none.</summary>
    public byte[] Ensure(HttpContext context)
    {
        if (context.Items[typeof(CsrfTokens)] is byte[] issued) return issued;
        var raw = FromRequest(context.Request);
        if (raw is null)
        {
            raw = RandomNumberGenerator.GetBytes(TokenBytes);
            context.Response.Cookies.Append(CookieName, Convert.ToBase64String(raw), _cookies.Options(TimeSpan.FromDays(365)));
        }
        context.Items[typeof(CsrfTokens)] = raw;
        return raw;
    }

    /// <summary>A masked form value for <paramref name="raw"/>; different on every call.</summary>
    public static string Mask(byte[] raw)
    {
        var pad = RandomNumberGenerator.GetBytes(raw.Length);
        var output = new byte[raw.Length * 2];
        pad.CopyTo(output, 0);
        for (var i = 0; i < raw.Length; i++) output[raw.Length + i] = (byte)(pad[i] ^ raw[i]);
        return Convert.ToBase64String(output);
    }

    /// <summary>True when <paramref name="masked"/> (a form value) unmasks to <paramref name="raw"/>.</summary>
    public static bool Verify(byte[]? raw, string? masked)
    {
        if (raw is null || string.IsNullOrEmpty(masked)) return false;
        byte[] bytes;
        try { bytes = Convert.FromBase64String(masked); }
        catch (FormatException) { return false; }
        if (bytes.Length != raw.Length * 2) return false;
        var unmasked = new byte[raw.Length];
        for (var i = 0; i < raw.Length; i++) unmasked[i] = (byte)(bytes[i] ^ bytes[raw.Length + i]);
        return CryptographicOperations.FixedTimeEquals(unmasked, raw);
    }

    /// <summary>What a flow stores to bind itself to the browser: a hash, so a database read reveals no token.</summary>
    public static string Fingerprint(byte[] raw) => Convert.ToHexStringLower(SHA256.HashData(raw));

    public static bool MatchesFingerprint(byte[]? raw, string? fingerprint) =>
        raw is not null && !string.IsNullOrEmpty(fingerprint) &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Fingerprint(raw)), Encoding.ASCII.GetBytes(fingerprint));
}

/// <summary>Cookie attributes from <c>cookies.*</c>: HttpOnly always, Secure unless <c>--dev</c>.</summary>
internal sealed class CookieOptionsSource(WardenConfig config)
{
    public CookieOptions Options(TimeSpan maxAge)
    {
        var c = config.Section<Warden.SelfService.CookiesConfig>("cookies");
        var sameSite = (c.SameSite ?? "Lax").ToLowerInvariant() switch
        {
            "strict" => SameSiteMode.Strict,
            "none" => SameSiteMode.None,
            _ => SameSiteMode.Lax,
        };
        return new CookieOptions
        {
            HttpOnly = true,
            // SameSite=None is rejected by browsers without Secure, so it forces Secure even in dev.
            Secure = !config.Dev || sameSite == SameSiteMode.None,
            SameSite = sameSite,
            Path = string.IsNullOrEmpty(c.Path) ? "/" : c.Path,
            Domain = string.IsNullOrEmpty(c.Domain) ? null : c.Domain,
            MaxAge = maxAge,
            IsEssential = true,
        };
    }
}
