using System.Net;
using System.Net.Sockets;
using Warden.Http;

namespace Warden.Schemas;

/// <summary>
/// The HTTP client for fetching schemas (at startup, and on use for retries and external refs): a short timeout, a size cap, and — when
/// <c>clients.http.disallow_private_ip_ranges</c> is set — a connect-time check of the resolved address,
/// so neither a hostname nor a redirect can point the fetch at an internal service.
/// </summary>
internal static class SchemaHttp
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static HttpClient Create(HttpMessageHandler? handler, bool disallowPrivate)
    {
        var inner = handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            ConnectTimeout = Timeout,
            // The client lives as long as the process; new connections pick up DNS changes.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = disallowPrivate ? ConnectPublicOnly : null,
        };
        return new HttpClient(inner, disposeHandler: handler is null)
        {
            Timeout = Timeout,
            MaxResponseContentBufferSize = SchemaSource.MaxBytes,
        };
    }

    private static async ValueTask<Stream> ConnectPublicOnly(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
        var allowed = addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to a private or loopback address and clients.http.disallow_private_ip_ranges is true");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || b[0] == 127 ||
               (b[0] == 172 && b[1] is >= 16 and <= 31) ||
               (b[0] == 192 && b[1] == 168) ||
               (b[0] == 169 && b[1] == 254) ||
               (b[0] == 100 && b[1] is >= 64 and <= 127);
    }
}

/// <summary>
/// Fetches schema documents over http(s). The client is made on the first such fetch, and no member outside
/// <see cref="GetAsync"/> names an HTTP type: the runtime loads System.Net.Http when it compiles a method that
/// does, and deployments with file:// or base64:// schemas (most) should not pay for it in resident memory.
/// </summary>
/// <param name="handler">An <c>HttpMessageHandler</c> to send through (tests); typed object for the reason above.</param>
internal sealed class SchemaHttpSource(bool disallowPrivate, object? handler = null)
{
    private readonly OnDemandClient _client = new(() => SchemaHttp.Create((HttpMessageHandler?)handler, disallowPrivate));

    /// <summary>
    /// The document's text; failures are remote <see cref="SchemaSourceException"/>s. Asynchronous all the way:
    /// schemas are fetched on request threads (retries, external refs), and with the runtime's inline socket
    /// completions on, a request thread may be the socket thread this fetch's own completions need.
    /// </summary>
    public async Task<string> GetAsync(string url)
    {
        var http = (HttpClient)_client.Value;
        try
        {
            // Not the caller's token: one fetch serves every request waiting for the schema; the client's timeout bounds it.
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new SchemaSourceException($"fetching it answered HTTP {(int)response.StatusCode}", remote: true);
            return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (TaskCanceledException)
        {
            throw new SchemaSourceException($"fetching it timed out after {http.Timeout.TotalSeconds:0} s", remote: true);
        }
        catch (HttpRequestException e)
        {
            // The message names the host or the refusal reason; it carries no secrets (the URL is config).
            throw new SchemaSourceException($"fetching it failed: {e.Message}", remote: true);
        }
    }
}
