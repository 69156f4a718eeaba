using System.Net;

namespace Warden.Config;

/// <summary>What a configured host name says about where the peer runs.</summary>
internal static class HostNames
{
    /// <summary>
    /// <c>localhost</c> or a loopback address (127.0.0.0/8, ::1; an IPv6 literal may keep its URL brackets). Only the
    /// name is read: nothing is resolved, so a name that merely resolves to a loopback address counts as remote.
    /// </summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
