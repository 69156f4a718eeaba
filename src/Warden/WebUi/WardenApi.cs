using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Http;

namespace Warden.WebUi;

/// <summary>An answer from Warden's public API: status and parsed JSON body (null when empty or not JSON).</summary>
public sealed record ApiAnswer(int Status, JsonNode? Body)
{
    public bool Ok => Status is >= 200 and < 300;
    public string? ErrorId => Json.Str(Body?["error"]?["id"]);
}

/// <summary>
/// The UI's HTTP client for Warden's own public API. The pages are ordinary API clients, exactly like a
/// custom UI: they forward the browser's cookies, ask for JSON, and pass any Set-Cookie (a new CSRF
/// cookie, a refreshed session) back to the browser. Requests go to the public listener that accepted
/// the browser's connection rather than to <c>serve.public.base_url</c>, which may be a proxy address
/// this process cannot reach.
/// </summary>
public sealed class WardenApi(BaseUrls urls, ILogger<WardenApi> log) : IDisposable
{
    // Made with the first UI page (OnDemandClient): an API-only deployment should not carry it in resident memory.
    private readonly OnDemandClient _client = new(() => new HttpClient(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    }) { Timeout = TimeSpan.FromSeconds(30) });

    private HttpClient Http => (HttpClient)_client.Value;

    public Task<ApiAnswer> GetAsync(HttpContext ctx, string pathAndQuery) => SendAsync(ctx, HttpMethod.Get, pathAndQuery);

    public async Task<ApiAnswer> SendAsync(HttpContext ctx, HttpMethod method, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(method, new Uri(Base(ctx), pathAndQuery.TrimStart('/')));
        request.Headers.Accept.ParseAdd("application/json");
        if (ctx.Request.Headers.Cookie.ToString() is { Length: > 0 } cookie) request.Headers.TryAddWithoutValidation("Cookie", cookie);
        if (ctx.Request.Headers.AcceptLanguage.ToString() is { Length: > 0 } lang) request.Headers.TryAddWithoutValidation("Accept-Language", lang);
        if (ctx.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua) request.Headers.TryAddWithoutValidation("User-Agent", ua);
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, ctx.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ctx.RequestAborted.IsCancellationRequested)
        {
            // The path only: it may carry a flow id but never a secret; the exception type says what failed.
            log.LogWarning("UI could not reach the public API for {Path}: {Error}", request.RequestUri!.AbsolutePath, e.GetType().Name);
            return new ApiAnswer(502, null);
        }
        using (response)
        {
            if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
                foreach (var c in cookies) ctx.Response.Headers.Append("Set-Cookie", c);
            var text = await response.Content.ReadAsStringAsync(ctx.RequestAborted);
            JsonNode? body = null;
            if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                try { body = JsonNode.Parse(text); }
                catch (System.Text.Json.JsonException) { body = null; }
            }
            return new ApiAnswer((int)response.StatusCode, body);
        }
    }

    private Uri Base(HttpContext ctx)
    {
        var c = ctx.Connection;
        if (c.LocalIpAddress is not { } ip || c.LocalPort == 0) return urls.Public;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var host = ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        return new Uri($"http://{host}:{c.LocalPort}/");
    }

    public void Dispose() => _client.Dispose();
}
