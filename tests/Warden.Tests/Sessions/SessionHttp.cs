using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.Persistence;
using Warden.Sessions;
using Warden.Tests.Support;

namespace Warden.Tests.Sessions;

/// <summary>A running server plus a signed-in identity, for whoami/logout tests.</summary>
internal sealed class SessionHttp : IAsyncDisposable
{
    public const string DefaultSecret = "default-secret-0123456789";
    public const string CookieSecret = "cookie-secret-0123456789ab";

    private SessionHttp(TestServer server) => Server = server;

    public TestServer Server { get; }
    public HttpClient Public => Server.Public;
    public SessionManager Sessions => Server.Service<SessionManager>();
    public Database Db => Server.Service<Database>();

    public static JsonObject BaseConfig(JsonObject? extra = null)
    {
        var root = new JsonObject
        {
            ["secrets"] = new JsonObject { ["default"] = new JsonArray(DefaultSecret), ["cookie"] = new JsonArray(CookieSecret) },
            ["selfservice"] = new JsonObject { ["default_browser_return_url"] = "https://app.example.org/home" },
        };
        if (extra is not null) Warden.Config.ConfigLoader.Merge(root, extra);
        return root;
    }

    public static async Task<SessionHttp> StartAsync(JsonObject? extra = null, string dialect = "sqlite") =>
        new(await TestServer.StartAsync(dialect, BaseConfig(extra)));

    public async Task<(Identity Identity, Session Session)> SignInAsync(string state = "active", string? availableAal = null, string email = "alice@example.org")
    {
        var identity = await SessionTestData.InsertIdentityAsync(Db, email, state, availableAal);
        var session = await Sessions.IssueAsync(identity, [SessionTestData.Password], SessionTestData.Device);
        return (identity, session);
    }

    public HttpClient Admin => Server.Admin;

    /// <summary>Another session for an existing identity (a second device).</summary>
    public Task<Session> IssueAsync(Identity identity, DeviceInfo? device = null) =>
        Sessions.IssueAsync(identity, [SessionTestData.Password], device ?? SessionTestData.Device);

    public static HttpRequestMessage Send(HttpMethod method, string path, string? token = null, string? cookie = null)
    {
        var m = Get(path, token, cookie);
        m.Method = method;
        return m;
    }

    public string CookieFor(Session session) => SessionTestData.WrittenCookie(Sessions, session).Pair;

    public static HttpRequestMessage Get(string path, string? token = null, string? cookie = null, string? accept = null)
    {
        var m = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) m.Headers.Add("X-Session-Token", token);
        if (cookie is not null) m.Headers.Add("Cookie", cookie);
        if (accept is not null) m.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        return m;
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
