using Warden.Config;

namespace Warden.Http.Flows;

/// <summary>
/// Decides whether a <c>return_to</c> URL may be redirected to. An entry of
/// <c>selfservice.allowed_return_urls</c> admits a URL only when scheme, host (with port) and path match
/// as URL components: the path entry <c>/dashboard</c> admits <c>/dashboard</c> and <c>/dashboard/x</c> but
/// not <c>/dashboard-evil</c>; a host entry <c>*.example.org</c> admits subdomains only, never
/// <c>example.org</c> itself or <c>evilexample.org</c>. The public base URL and the default return URL are
/// always admitted. Public so logout and later flows share one implementation.
/// </summary>
public sealed class ReturnToValidator(IReadOnlyList<string> allowed, BaseUrls urls, Func<string> defaultReturnUrl)
{
    /// <summary>
    /// The absolute URL to return to, or null when <paramref name="returnTo"/> is empty. Relative values
    /// resolve against the default return URL. Anything not admitted is a 400.
    /// </summary>
    public string? Validate(string? returnTo)
    {
        if (string.IsNullOrWhiteSpace(returnTo)) return null;
        var target = Resolve(returnTo);
        if (target is null || !IsAllowed(target))
            throw ApiException.BadRequest($"Requested return_to URL \"{returnTo}\" is not allowed.", "self_service_flow_return_to_forbidden");
        return target.ToString();
    }

    public bool IsAllowed(string url) => Resolve(url) is { } u && IsAllowed(u);

    private Uri? Resolve(string value)
    {
        // Protocol-relative ("//evil.com") and backslash tricks are absolute in browsers; treat them as such.
        var v = value.Trim().Replace('\\', '/');
        if (Uri.TryCreate(v, UriKind.Absolute, out var abs) && !v.StartsWith('/'))
            return abs.Scheme is "http" or "https" ? abs : null;
        if (v.StartsWith("//")) return null;
        return Uri.TryCreate(new Uri(defaultReturnUrl()), v, out var rel) ? rel : null;
    }

    private bool IsAllowed(Uri target)
    {
        if (!string.IsNullOrEmpty(target.UserInfo)) return false;
        foreach (var entry in Entries())
        {
            // A path-only entry ("/dashboard") names a path on the default return URL's origin. On Unix .NET
            // would read it as file:///dashboard, which never matches, so resolve it explicitly.
            var e = entry.Trim();
            if (e.StartsWith('/') && !e.StartsWith("//") && Uri.TryCreate(new Uri(defaultReturnUrl()), e, out var onOrigin))
                e = onOrigin.ToString();
            if (Matches(e, target)) return true;
        }
        return false;
    }

    private IEnumerable<string> Entries()
    {
        foreach (var a in allowed) yield return a;
        yield return urls.Public.ToString();
        yield return defaultReturnUrl();
    }

    internal static bool Matches(string entry, Uri target)
    {
        var wildcard = false;
        var e = entry.Trim();
        var schemeEnd = e.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && e.AsSpan(schemeEnd + 3).StartsWith("*."))
        {
            wildcard = true;
            e = e[..(schemeEnd + 3)] + e[(schemeEnd + 5)..];
        }
        if (!Uri.TryCreate(e, UriKind.Absolute, out var allowedUri)) return false;
        if (!allowedUri.Scheme.Equals(target.Scheme, StringComparison.OrdinalIgnoreCase)) return false;
        if (allowedUri.Port != target.Port) return false;
        var host = target.IdnHost.TrimEnd('.');
        var allowedHost = allowedUri.IdnHost.TrimEnd('.');
        if (wildcard)
        {
            if (!host.EndsWith("." + allowedHost, StringComparison.OrdinalIgnoreCase)) return false;
        }
        else if (!host.Equals(allowedHost, StringComparison.OrdinalIgnoreCase)) return false;
        return PathMatches(allowedUri.AbsolutePath, target.AbsolutePath);
    }

    private static bool PathMatches(string allowedPath, string targetPath)
    {
        if (allowedPath is "" or "/") return true;
        var prefix = allowedPath.TrimEnd('/');
        return targetPath == prefix || targetPath.StartsWith(prefix + "/", StringComparison.Ordinal);
    }
}
