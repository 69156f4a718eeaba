using Microsoft.AspNetCore.Http;

namespace Warden.WebUi.Render;

/// <summary>
/// Headers for every UI page. The CSP allows only Warden's own stylesheet and scripts (no inline code at
/// all), images from Warden, data: (TOTP QR codes) and the configured logo's origin. form-action is
/// deliberately not restricted: browsers apply it to the redirects after a post, and a successful flow
/// legitimately redirects to an allowed return_to on another origin or to an OIDC provider.
/// </summary>
public static class SecurityHeaders
{
    public static void Apply(HttpResponse r, WebUiOptions options, IReadOnlyList<string> scriptNonces)
    {
        var img = "'self' data:" + (options.LogoOrigin is { } o ? " " + o : "");
        var script = "'self'" + string.Concat(scriptNonces.Distinct().Select(n => $" 'nonce-{n}'"));
        r.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'self'; img-src {img}; script-src {script}; connect-src 'self'; " +
            "base-uri 'none'; frame-ancestors 'none'";
        r.Headers.XContentTypeOptions = "nosniff";
        r.Headers.XFrameOptions = "DENY";
        r.Headers["Referrer-Policy"] = "no-referrer";
        // Pages carry CSRF tokens and personal data: never stored by browsers or proxies.
        r.Headers.CacheControl = "private, no-cache, no-store, must-revalidate";
        r.Headers.Vary = "Cookie, Accept-Language";
    }
}
