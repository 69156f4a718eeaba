using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Recovery;

/// <summary>createRecoveryCodeForIdentity / createRecoveryLinkForIdentity and redeeming what they issue.</summary>
public sealed class RecoveryAdminTests
{
    private static async Task<JsonObject> AdminCode(TestServer s, string identityId, string? expiresIn = null, string? flowType = null)
    {
        var body = new JsonObject { ["identity_id"] = identityId };
        if (expiresIn is not null) body["expires_in"] = expiresIn;
        if (flowType is not null) body["flow_type"] = flowType;
        return await ExpectJson(await s.Admin.SendAsync(PostJson("/admin/recovery/code", body)), HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Admin_code_recovers_the_account_once_in_a_browser(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var id = await RegisterAsync(s, Email());
        var before = DateTime.UtcNow;
        var issued = await AdminCode(s, id, expiresIn: "10m");
        var code = issued["recovery_code"]!.GetValue<string>();
        Assert.Matches("^[0-9]{6}$", code);
        var link = issued["recovery_link"]!.GetValue<string>();
        Assert.StartsWith(s.Host.Urls.PublicUrl("self-service/recovery?flow="), link);
        var expiresAt = issued["expires_at"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.InRange(expiresAt, before.AddMinutes(9), DateTime.UtcNow.AddMinutes(11));

        // The user opens the link in some browser: it shows the flow's UI, which loads the flow without a CSRF binding.
        using var browser = s.BrowserClient();
        var open = await browser.SendAsync(Get(link, json: false));
        Assert.Equal(HttpStatusCode.SeeOther, open.StatusCode);
        Assert.Equal($"{UiBase}/recovery?flow={Query(link, "flow")}", open.Headers.Location!.ToString());
        var flow = await ExpectJson(await browser.SendAsync(Get($"/self-service/recovery/flows?id={Query(link, "flow")}", json: true)), HttpStatusCode.OK);
        Assert.Equal("sent_email", flow["state"]!.GetValue<string>());
        Assert.Equal(["default:csrf_token", "code:code", "code:method"], NodeNames(flow));
        Assert.Equal("[0-9]+", Node(flow, "code")!["attributes"]!["pattern"]!.GetValue<string>());

        var r = await browser.SendAsync(PostForm(Action(flow), ("code", code), ("method", "code"), ("csrf_token", Csrf(flow))));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        var settings = r.Headers.Location!.ToString();
        Assert.StartsWith(UiBase + "/settings?flow=", settings);
        Assert.NotNull(SetCookie(r, "ory_kratos_session"));
        var who = await ExpectJson(await browser.SendAsync(Get("/sessions/whoami", json: true)), HttpStatusCode.OK);
        Assert.Equal(id, who["identity"]!["id"]!.GetValue<string>());
        Assert.Equal("code_recovery", who["authentication_methods"]![0]!["method"]!.GetValue<string>());

        // Single use: the same code again (another browser, fresh flow view) is refused.
        using var other = s.BrowserClient();
        var again = await other.SendAsync(PostForm(Action(flow), ("code", code), ("method", "code")));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.StartsWith(UiBase + "/error", again.Headers.Location!.ToString());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Admin_code_for_native_apps_returns_session_token_and_settings_flow(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var id = await RegisterAsync(s, Email());
        var issued = await AdminCode(s, id, flowType: "api");
        var link = issued["recovery_link"]!.GetValue<string>();
        var body = await ExpectJson(await s.Public.SendAsync(PostJson(link, new JsonObject
        {
            ["method"] = "code", ["code"] = issued["recovery_code"]!.GetValue<string>(),
        })), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", body["state"]!.GetValue<string>());
        var cw = body["continue_with"]!.AsArray();
        var token = cw.Single(c => c!["action"]!.GetValue<string>() == "set_ory_session_token")!["ory_session_token"]!.GetValue<string>();
        var settings = cw.Single(c => c!["action"]!.GetValue<string>() == "show_settings_ui")!["flow"]!;
        Assert.True(Guid.TryParse(settings["id"]!.GetValue<string>(), out _));
        var who = new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami");
        who.Headers.Add("X-Session-Token", token);
        var session = await ExpectJson(await s.Public.SendAsync(who), HttpStatusCode.OK);
        Assert.Equal(id, session["identity"]!["id"]!.GetValue<string>());
        // The stored flow never keeps the token.
        var stored = await ExpectJson(await s.Public.GetAsync($"/self-service/recovery/flows?id={body["id"]}"), HttpStatusCode.OK);
        Assert.DoesNotContain(token, stored.ToJsonString());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Admin_link_recovers_once(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var id = await RegisterAsync(s, Email());
        var issued = await ExpectJson(await s.Admin.SendAsync(PostJson("/admin/recovery/link?return_to=" + Uri.EscapeDataString(UiBase + "/dashboard"),
            new JsonObject { ["identity_id"] = id, ["expires_in"] = "1h" })), HttpStatusCode.OK);
        var link = issued["recovery_link"]!.GetValue<string>();
        Assert.Matches("token=[A-Za-z0-9]{32}$", link);
        Assert.NotNull(issued["expires_at"]);

        using var browser = s.BrowserClient();
        var r = await browser.SendAsync(Get(link, json: false));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        Assert.StartsWith(UiBase + "/settings?flow=", r.Headers.Location!.ToString());
        var who = await ExpectJson(await browser.SendAsync(Get("/sessions/whoami", json: true)), HttpStatusCode.OK);
        Assert.Equal("link_recovery", who["authentication_methods"]![0]!["method"]!.GetValue<string>());

        using var second = s.BrowserClient();
        var again = await second.SendAsync(Get(link, json: false));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.DoesNotContain("/settings", again.Headers.Location!.ToString());
        Assert.Null(SetCookie(again, "ory_kratos_session"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Bad_admin_requests_are_kratos_errors(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var id = await RegisterAsync(s, Email());
        foreach (var path in new[] { "/admin/recovery/code", "/admin/recovery/link" })
        {
            var unknown = await ExpectJson(await s.Admin.SendAsync(PostJson(path, new JsonObject { ["identity_id"] = Guid.NewGuid().ToString() })),
                HttpStatusCode.NotFound);
            Assert.Equal(404, unknown["error"]!["code"]!.GetValue<int>());
            await ExpectJson(await s.Admin.SendAsync(PostJson(path, new JsonObject { ["identity_id"] = "nope" })), HttpStatusCode.BadRequest);
            await ExpectJson(await s.Admin.SendAsync(PostJson(path, new JsonObject())), HttpStatusCode.BadRequest);
            await ExpectJson(await s.Admin.SendAsync(PostJson(path, new JsonObject { ["identity_id"] = id, ["expires_in"] = "soon" })),
                HttpStatusCode.BadRequest);
            await ExpectJson(await s.Admin.SendAsync(PostJson(path, new JsonObject { ["identity_id"] = id, ["expires_in"] = "-5m" })),
                HttpStatusCode.BadRequest);
            var bad = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{", System.Text.Encoding.UTF8, "application/json") };
            await ExpectJson(await s.Admin.SendAsync(bad), HttpStatusCode.BadRequest);
        }
        await ExpectJson(await s.Admin.SendAsync(PostJson("/admin/recovery/code", new JsonObject { ["identity_id"] = id, ["flow_type"] = "x" })),
            HttpStatusCode.BadRequest);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Five_wrong_codes_block_the_flow_even_for_the_right_code(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var id = await RegisterAsync(s, Email());
        var issued = await AdminCode(s, id, flowType: "api");
        var link = issued["recovery_link"]!.GetValue<string>();
        var code = issued["recovery_code"]!.GetValue<string>();
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            var r = await ExpectJson(await s.Public.SendAsync(PostJson(link, new JsonObject { ["method"] = "code", ["code"] = wrong })),
                HttpStatusCode.BadRequest);
            Assert.Equal([4060006], FlowMessageIds(r));
        }
        var blocked = await ExpectJson(await s.Public.SendAsync(PostJson(link, new JsonObject { ["method"] = "code", ["code"] = code })),
            HttpStatusCode.BadRequest);
        Assert.Equal([4060006], FlowMessageIds(blocked));
        Assert.Contains("Too many", blocked["ui"]!["messages"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("sent_email", blocked["state"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Four_wrong_codes_still_allow_the_right_one(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var id = await RegisterAsync(s, Email());
        var issued = await AdminCode(s, id, flowType: "api");
        var link = issued["recovery_link"]!.GetValue<string>();
        var code = issued["recovery_code"]!.GetValue<string>();
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 4; i++)
            await ExpectJson(await s.Public.SendAsync(PostJson(link, new JsonObject { ["method"] = "code", ["code"] = wrong })), HttpStatusCode.BadRequest);
        await ExpectJson(await s.Public.SendAsync(PostJson(link, new JsonObject { ["method"] = "code", ["code"] = code })), HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Concurrent_submissions_of_one_code_succeed_exactly_once(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var id = await RegisterAsync(s, Email());
        var issued = await AdminCode(s, id, flowType: "api");
        var link = issued["recovery_link"]!.GetValue<string>();
        var code = issued["recovery_code"]!.GetValue<string>();
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            s.Public.SendAsync(PostJson(link, new JsonObject { ["method"] = "code", ["code"] = code }))));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        // The winner's result stands: a slower loser did not overwrite the completed flow.
        var flow = await ExpectJson(await s.Public.GetAsync($"/self-service/recovery/flows?id={Query(link, "flow")}"), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", flow["state"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Expired_codes_and_flows_are_refused(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var id = await RegisterAsync(s, Email());
        var issued = await AdminCode(s, id, flowType: "api");
        var link = issued["recovery_link"]!.GetValue<string>();
        var flowId = Query(link, "flow");
        await ExpireSecretsAsync(s, flowId);
        var r = await ExpectJson(await s.Public.SendAsync(PostJson(link, new JsonObject
        {
            ["method"] = "code", ["code"] = issued["recovery_code"]!.GetValue<string>(),
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4060006], FlowMessageIds(r));

        var second = await AdminCode(s, id, flowType: "api");
        await ExpireFlowAsync(s, Query(second["recovery_link"]!.GetValue<string>(), "flow"));
        var gone = await ExpectJson(await s.Public.SendAsync(PostJson(second["recovery_link"]!.GetValue<string>(), new JsonObject
        {
            ["method"] = "code", ["code"] = second["recovery_code"]!.GetValue<string>(),
        })), HttpStatusCode.Gone);
        Assert.Equal("self_service_flow_expired", gone["error"]!["id"]!.GetValue<string>());
        Assert.NotNull(gone["use_flow_id"]);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Revoke_active_sessions_after_recovery_signs_out_everywhere_else(string dialect)
    {
        foreach (var revoke in new[] { true, false })
        {
            await using var s = await StartServerAsync(dialect, tweak: root =>
            {
                if (revoke)
                    root["selfservice"]!["flows"]!["recovery"]!["after"] = new JsonObject
                    {
                        ["hooks"] = new JsonArray(new JsonObject { ["hook"] = "revoke_active_sessions" }),
                    };
            });
            var reg = await RegisterNative(s, Email());
            var old = reg["session_token"]!.GetValue<string>();
            var issued = await AdminCode(s, reg["identity"]!["id"]!.GetValue<string>(), flowType: "api");
            var done = await ExpectJson(await s.Public.SendAsync(PostJson(issued["recovery_link"]!.GetValue<string>(), new JsonObject
            {
                ["method"] = "code", ["code"] = issued["recovery_code"]!.GetValue<string>(),
            })), HttpStatusCode.OK);
            var fresh = done["continue_with"]![0]!["ory_session_token"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.OK, await Whoami(s, fresh));
            Assert.Equal(revoke ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, await Whoami(s, old));
        }
    }

    private static async Task<HttpStatusCode> Whoami(TestServer s, string token)
    {
        var r = new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami");
        r.Headers.Add("X-Session-Token", token);
        return (await s.Public.SendAsync(r)).StatusCode;
    }
}
