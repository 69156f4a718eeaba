using Warden.Config;

namespace Warden.Http.Cors;

/// <summary>
/// One entry of <c>serve.public.cors.allowed_origins</c>: <c>*</c>, an exact origin
/// (<c>https://app.example.org</c>), or a wildcard host (<c>https://*.example.org</c>, <c>http://*.localhost:3000</c>).
/// Matching is by parsed components, never by string prefix/suffix of the whole origin: scheme and port must
/// be equal, and a wildcard admits only proper subdomains (<c>a.example.org</c>, <c>a.b.example.org</c>), not
/// <c>example.org</c> itself and not <c>evil.com.example.org.attacker.io</c>.
/// </summary>
internal sealed record OriginPattern(bool Any, string Scheme, string Host, bool Wildcard, int Port)
{
    private const string Key = "serve.public.cors.allowed_origins";

    public static OriginPattern Parse(string entry)
    {
        var text = entry.Trim();
        if (text == "*") return new OriginPattern(true, "", "", false, 0);
        if (text.Count(c => c == '*') > 1) throw new ConfigException(Key, $"'{entry}' may contain at most one '*'");
        var wildcard = text.Contains("://*.", StringComparison.Ordinal);
        if (!wildcard && text.Contains('*'))
            throw new ConfigException(Key, $"'{entry}': a wildcard must be the leftmost label of the host, as in https://*.example.org");
        const string placeholder = "warden-wildcard";
        var parsable = wildcard ? text.Replace("://*.", $"://{placeholder}.", StringComparison.Ordinal) : text;
        if (!Uri.TryCreate(parsable, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.Host.Length == 0 ||
            u.AbsolutePath is not ("/" or "") || u.Query.Length > 0 || u.Fragment.Length > 0 || u.UserInfo.Length > 0)
            throw new ConfigException(Key, $"'{entry}' is not an origin such as https://app.example.org or https://*.example.org");
        var host = u.IdnHost.ToLowerInvariant();
        return new OriginPattern(false, u.Scheme, wildcard ? host[placeholder.Length..] : host, wildcard, u.Port);
    }

    /// <summary>True when <paramref name="origin"/> (already parsed from the Origin header) is admitted.</summary>
    public bool Matches(ParsedOrigin origin)
    {
        if (Any) return true;
        if (origin.Scheme != Scheme || origin.Port != Port) return false;
        return Wildcard
            ? origin.Host.Length > Host.Length && origin.Host.EndsWith(Host, StringComparison.Ordinal)
            : origin.Host == Host;
    }
}

/// <summary>An Origin header value broken into lower-case scheme, host and effective port.</summary>
internal readonly record struct ParsedOrigin(string Scheme, string Host, int Port)
{
    /// <summary>Parses <c>scheme://host[:port]</c>; "null", paths, credentials and anything else are refused.</summary>
    public static bool TryParse(string? value, out ParsedOrigin origin)
    {
        origin = default;
        if (string.IsNullOrEmpty(value) || value.Length > 2048 || value == "null") return false;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.Host.Length == 0) return false;
        // An origin is exactly scheme://host[:port]: no path (not even "/"), credentials, query or fragment.
        if (u.UserInfo.Length > 0 || u.AbsolutePath != "/" || value.EndsWith('/') || u.Query.Length > 0 || u.Fragment.Length > 0 ||
            value.Contains('?') || value.Contains('#'))
            return false;
        origin = new ParsedOrigin(u.Scheme, u.IdnHost.ToLowerInvariant(), u.Port);
        return true;
    }
}
