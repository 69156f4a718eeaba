using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Warden.Bench;

/// <summary>One login or registration as a native app does it; returns "200" or the failing status/transport outcome.</summary>
internal interface IFlowClient
{
    Task<string> LoginAsync(string email);
    Task<string> RegisterAsync(string email);
}

internal static class FlowClients
{
    public static HttpClient Http(int connections, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AllowAutoRedirect = false,
    }) { Timeout = timeout };

    public static IFlowClient Create(string target, HttpClient http, string baseUrl) => target switch
    {
        "warden" => new WardenFlows(http, baseUrl.TrimEnd('/')),
        "identity" => new IdentityFlows(http, baseUrl.TrimEnd('/')),
        _ => throw new BenchException($"unknown target {target}"),
    };

    /// <summary>Runs one operation and records it, mapping transport failures to outcomes instead of exceptions.</summary>
    public static async Task Record(Stats stats, Func<Task<string>> op)
    {
        var t = Stopwatch.StartNew();
        string outcome;
        try { outcome = await op(); }
        catch (TaskCanceledException) { outcome = "timeout"; }
        catch (HttpRequestException) { outcome = "error"; }
        if (outcome == "200") stats.Ok(t.Elapsed.TotalMilliseconds);
        else stats.Failed(outcome, t.Elapsed.TotalMilliseconds);
    }

    public static string Status(HttpResponseMessage r) => ((int)r.StatusCode).ToString();
}

/// <summary>Warden: create a native (api) flow, then submit the password method to it.</summary>
internal sealed class WardenFlows(HttpClient http, string pub) : IFlowClient
{
    public Task<string> LoginAsync(string email) => RunAsync("login", new JsonObject
    {
        ["method"] = "password", ["identifier"] = email, ["password"] = LoginUsers.Password,
    }, "session_token");

    public Task<string> RegisterAsync(string email) => RunAsync("registration", new JsonObject
    {
        ["method"] = "password", ["traits"] = new JsonObject { ["email"] = email }, ["password"] = LoginUsers.Password,
    }, "identity");

    private async Task<string> RunAsync(string flow, JsonObject body, string expect)
    {
        using var created = await http.GetAsync($"{pub}/self-service/{flow}/api");
        if (created.StatusCode != HttpStatusCode.OK) return FlowClients.Status(created);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())?["id"]?.GetValue<string>();
        using var submitted = await http.PostAsJsonAsync($"{pub}/self-service/{flow}?flow={id}", body);
        if (submitted.StatusCode != HttpStatusCode.OK) return FlowClients.Status(submitted);
        var result = await submitted.Content.ReadFromJsonAsync<JsonObject>();
        return result?[expect] is null ? "bad-body" : "200";
    }
}

/// <summary>ASP.NET Core Identity's MapIdentityApi: POST /login (bearer token) and POST /register.</summary>
internal sealed class IdentityFlows(HttpClient http, string baseUrl) : IFlowClient
{
    public async Task<string> LoginAsync(string email)
    {
        using var r = await http.PostAsJsonAsync($"{baseUrl}/login", new { email, password = LoginUsers.Password });
        if (r.StatusCode != HttpStatusCode.OK) return FlowClients.Status(r);
        var result = await r.Content.ReadFromJsonAsync<JsonObject>();
        return result?["accessToken"] is null ? "bad-body" : "200";
    }

    public async Task<string> RegisterAsync(string email)
    {
        using var r = await http.PostAsJsonAsync($"{baseUrl}/register", new { email, password = LoginUsers.Password });
        return FlowClients.Status(r);
    }
}
