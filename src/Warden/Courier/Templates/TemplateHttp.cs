using System.Text;
using Warden.Http;

namespace Warden.Courier.Templates;

/// <summary>
/// Reads templates at http(s) URLs. The client is made for the first such template only, and no member
/// outside <see cref="Get"/> and <see cref="GetAsync"/> names an HTTP type: the runtime loads System.Net.Http when it compiles a method
/// that does, and file:// or base64:// templates (the usual case) should not pay for it in resident memory.
/// </summary>
internal sealed class TemplateHttp : IDisposable
{
    private readonly OnDemandClient _client = new(() => new HttpClient());

    /// <summary>
    /// The body of <paramref name="url"/> (at most <paramref name="maxBytes"/>, strict UTF-8); failures are IOExceptions.
    /// Waited for: templates are read once, while <c>WardenHost.Create</c> builds the courier on the caller's thread,
    /// which Warden.Server does before its first socket operation, so even with the runtime's inline socket
    /// completions on (an operator's choice) the waiting thread is never the socket thread the fetch completes on.
    /// The fetch itself does no blocking I/O.
    /// </summary>
    public string Get(string url, int maxBytes, Encoding strict) => GetAsync(url, maxBytes, strict).GetAwaiter().GetResult();

    private async Task<string> GetAsync(string url, int maxBytes, Encoding strict)
    {
        var http = (HttpClient)_client.Value;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new IOException($"{url} answered {(int)response.StatusCode}");
            await using var stream = await response.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false);
            var buffer = new byte[maxBytes + 1];
            var total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(total), cts.Token).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > maxBytes) throw new IOException($"{url} sent more than {maxBytes} bytes");
            }
            return strict.GetString(buffer, 0, total);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            throw new IOException(e.Message, e);
        }
    }

    public void Dispose() => _client.Dispose();
}
