using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Warden.Tests.Schemas;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) that answers every GET from a replaceable
/// handler, so tests can make a schema host fail first and recover later. Real sockets on purpose: the
/// guarded client's connect-time private-address check only runs on a real connection.
/// </summary>
internal sealed class LocalSchemaServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public LocalSchemaServer(Func<string, (int Status, string Body)> respond)
    {
        Respond = respond;
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>Path (with query) → status and body. Swap it to change what the server answers.</summary>
    public volatile Func<string, (int Status, string Body)> Respond;

    public int Requests => Volatile.Read(ref _requests);

    public string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n"))
            {
                var n = await stream.ReadAsync(buffer);
                if (n == 0) return;
                head.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            var path = head.ToString().Split(' ')[1];
            Interlocked.Increment(ref _requests);
            var (status, body) = Respond(path);
            var bytes = Encoding.UTF8.GetBytes(body);
            var response = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            await stream.WriteAsync(bytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>A clock tests move by hand, so the retry interval is crossed without waiting.</summary>
internal sealed class ManualClock(DateTimeOffset? start = null) : TimeProvider
{
    private DateTimeOffset _now = start ?? new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
