using System.Net;
using Microsoft.AspNetCore.Http;

namespace Warden.Sessions;

/// <summary>
/// Where a request came from. The connection's peer address is the truth unless that peer is a configured
/// trusted proxy; only then is <c>X-Forwarded-For</c> read, right to left, skipping further trusted hops, so a
/// client cannot choose its own recorded IP by sending the header itself.
/// </summary>
internal static class DeviceResolver
{
    /// <summary>Column sizes of session_devices.</summary>
    public const int MaxUserAgent = 512;
    private const int MaxForwardedHops = 32;

    public static DeviceInfo Resolve(HttpContext context, IReadOnlyList<IpRange> trustedProxies)
    {
        var ip = ClientIp(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"], trustedProxies);
        var ua = context.Request.Headers.UserAgent.ToString();
        return new DeviceInfo(ip?.ToString(), Clean(ua, MaxUserAgent));
    }

    internal static IPAddress? ClientIp(IPAddress? peer, IEnumerable<string?> forwardedFor, IReadOnlyList<IpRange> trusted)
    {
        if (peer is null) return null;
        var current = IpRange.Normalize(peer);
        if (!IsTrusted(current, trusted)) return current;
        var hops = forwardedFor.Where(v => v is not null)
            .SelectMany(v => v!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .TakeLast(MaxForwardedHops)
            .ToList();
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            // A malformed entry means the chain cannot be trusted beyond this point: keep the last good hop.
            if (!IPAddress.TryParse(StripPort(hops[i]), out var hop)) return current;
            current = IpRange.Normalize(hop);
            if (!IsTrusted(current, trusted)) return current;
        }
        return current;
    }

    private static bool IsTrusted(IPAddress ip, IReadOnlyList<IpRange> trusted)
    {
        foreach (var r in trusted)
            if (r.Contains(ip)) return true;
        return false;
    }

    /// <summary>Accepts "1.2.3.4:5678" and "[::1]:5678" as some proxies send them.</summary>
    private static string StripPort(string hop)
    {
        if (hop.StartsWith('[') && hop.IndexOf(']') is var end and > 0) return hop[1..end];
        var colon = hop.IndexOf(':');
        return colon > 0 && hop.IndexOf(':', colon + 1) < 0 ? hop[..colon] : hop;
    }

    private static string? Clean(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (value.Length > max) value = value[..max];
        // Never cut a surrogate pair in half: PostgreSQL refuses invalid UTF-16 converted to UTF-8.
        if (value.Length > 0 && char.IsHighSurrogate(value[^1])) value = value[..^1];
        return value.Length == 0 ? null : value;
    }
}
