using System.Net;
using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.Settings;

/// <summary>
/// The self-service test Warden plus a settings UI URL, and helpers to get signed-in users (native tokens or
/// browser cookie jars), age their sessions, and drive settings flows.
/// </summary>
internal static class SettingsHarness
{
    public const string NewPassword = "another-Stapler-horse-42";

    public static Task<TestServer> StartSettingsAsync(string dialect, Action<JsonObject>? settings = null) =>
        SelfService.SelfServiceHarness.StartAsync(dialect, tweak: root =>
        {
            var section = new JsonObject { ["ui_url"] = UiBase + "/settings" };
            settings?.Invoke(section);
            root["selfservice"]!["flows"]!["settings"] = section;
        });

    /// <summary>Registers a user through a native flow; returns its session token and identity id.</summary>
    public static async Task<(string Token, Guid IdentityId)> SignUpNative(TestServer s, string email)
    {
        var reg = await RegisterNative(s, email);
        return (reg["session_token"]!.GetValue<string>(), Guid.Parse(reg["identity"]!["id"]!.GetValue<string>()));
    }

    /// <summary>A native login; returns the session token, or null when the credentials are refused.</summary>
    public static async Task<string?> LoginNative(TestServer s, string email, string password)
    {
        var flow = await NativeFlow(s, "login");
        var r = await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = password, ["method"] = "password",
        }));
        if (r.StatusCode == HttpStatusCode.BadRequest) return null;
        return (await ExpectJson(r, HttpStatusCode.OK))["session_token"]!.GetValue<string>();
    }

    /// <summary>A browser (cookie jar) registered and signed in as an SPA.</summary>
    public static async Task<HttpClient> SignUpBrowser(TestServer s, string email)
    {
        var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "registration");
        var r = await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "password", ["csrf_token"] = Csrf(flow), ["traits.email"] = email, ["password"] = Password,
        }));
        await ExpectJson(r, HttpStatusCode.OK);
        return browser;
    }

    public static HttpRequestMessage WithToken(HttpRequestMessage r, string token)
    {
        r.Headers.Add("X-Session-Token", token);
        return r;
    }

    public static async Task<JsonObject> NativeSettingsFlow(TestServer s, string token) =>
        await ExpectJson(await s.Public.SendAsync(WithToken(Get("/self-service/settings/api", json: true), token)), HttpStatusCode.OK);

    public static Task<HttpResponseMessage> SubmitNative(TestServer s, JsonObject flow, string token, JsonObject body) =>
        s.Public.SendAsync(WithToken(PostJson(Action(flow), body), token));

    /// <summary>Moves the sign-in time of every session of the identity into the past (a stale session).</summary>
    public static async Task AgeSessions(TestServer s, Guid identityId, TimeSpan by)
    {
        var db = s.Service<Database>();
        await using var c = await db.OpenAsync();
        var n = await c.ExecuteAsync("UPDATE sessions SET authenticated_at = @t WHERE identity_id = @identityId",
            new { t = DateTime.UtcNow - by, identityId });
        Assert.True(n > 0);
    }

    public static async Task<int> Whoami(TestServer s, string token) =>
        (int)(await s.Public.SendAsync(WithToken(new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami"), token))).StatusCode;

    public static string ErrorId(JsonObject body) => body["error"]!["id"]!.GetValue<string>();

    public static string? Value(JsonObject flow, string name) => Node(flow, name)?["attributes"]?["value"]?.ToString();
}
