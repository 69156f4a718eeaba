using System.Net;
using System.Net.Sockets;

namespace Warden.Tests.Support;

internal static class Ports
{
    /// <summary>A loopback port nothing listens on right now: bound once by us, then released.</summary>
    public static int Free()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
