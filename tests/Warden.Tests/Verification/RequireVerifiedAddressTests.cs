using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Verification;

/// <summary>
/// <c>require_verified_address</c> refuses an unverified login on the login flow itself (message 4000010):
/// 400 with the flow for native apps and SPAs, 303 back to the login UI for HTML, and no session survives.
/// </summary>
public sealed class RequireVerifiedAddressTests
{
    private static Task<TestServer> Start(string dialect) => StartServerAsync(dialect, tweak: root =>
        root["selfservice"]!["flows"]!["login"]!["after"] = new JsonObject
        {
            ["hooks"] = new JsonArray(new JsonObject { ["hook"] = "require_verified_address" }),
        });

    private static async Task<int> ActiveSessionsAsync(TestServer s, string identityId)
    {
        var r = await s.Admin.GetAsync($"/admin/identities/{identityId}/sessions?active=true");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsArray().Count;
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_login_gets_the_flow_with_4000010_and_no_session(string dialect)
    {
        await using var s = await Start(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        var before = await ActiveSessionsAsync(s, id);
        var flow = await NativeFlow(s, "login");
        var refused = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Null(refused["error"]);
        Assert.Equal(flow["id"]!.GetValue<string>(), refused["id"]!.GetValue<string>());
        Assert.Equal([4000010], FlowMessageIds(refused));
        Assert.Null(refused["session_token"]);
        Assert.Equal("", Node(refused, "password")!["attributes"]!["value"]?.GetValue<string>() ?? "");
        Assert.Equal(before, await ActiveSessionsAsync(s, id));

        // The flow is written as completed together with the session; the refusal puts it back, so it stays usable.
        var stored = await ExpectJson(await s.Public.GetAsync($"/self-service/login/flows?id={flow["id"]}"), HttpStatusCode.OK);
        Assert.Equal("choose_method", stored["state"]!.GetValue<string>());
        Assert.Equal([4000010], FlowMessageIds(stored));
        var again = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4000010], FlowMessageIds(again));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Spa_login_gets_400_with_the_flow_and_no_cookie(string dialect)
    {
        await using var s = await Start(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        var before = await ActiveSessionsAsync(s, id);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "login");
        var r = await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = Password, ["method"] = "password", ["csrf_token"] = Csrf(flow),
        }));
        Assert.Null(SetCookie(r, "ory_kratos_session"));
        var refused = await ExpectJson(r, HttpStatusCode.BadRequest);
        Assert.Equal([4000010], FlowMessageIds(refused));
        Assert.Equal(before, await ActiveSessionsAsync(s, id));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Html_login_returns_to_the_form_which_shows_4000010(string dialect)
    {
        await using var s = await Start(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        var before = await ActiveSessionsAsync(s, id);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "login");
        var flowId = flow["id"]!.GetValue<string>();
        var r = await browser.SendAsync(PostForm(Action(flow), ("identifier", email), ("password", Password), ("method", "password"),
            ("csrf_token", Csrf(flow))));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        Assert.Equal($"{UiBase}/login?flow={flowId}", r.Headers.Location!.ToString());
        Assert.Null(SetCookie(r, "ory_kratos_session"));
        var shown = await ExpectJson(await browser.SendAsync(Get($"/self-service/login/flows?id={flowId}", json: true)), HttpStatusCode.OK);
        Assert.Equal([4000010], FlowMessageIds(shown));
        Assert.Equal(before, await ActiveSessionsAsync(s, id));
        var who = await browser.SendAsync(Get("/sessions/whoami", json: true));
        Assert.Equal(HttpStatusCode.Unauthorized, who.StatusCode);
    }
}
