using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Recovery;

/// <summary>Self-service recovery by mailed code and link for HTML browsers, SPAs and native apps.</summary>
public sealed class RecoveryFlowTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_code_recovery_signs_in_and_opens_settings(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        var flow = await NativeFlow(s, "recovery");
        Assert.Equal(["default:csrf_token", "code:email", "code:method"], NodeNames(flow));
        var sent = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email })),
            HttpStatusCode.OK);
        Assert.Equal("sent_email", sent["state"]!.GetValue<string>());
        Assert.Equal([1060003], FlowMessageIds(sent));
        Assert.Equal(["default:csrf_token", "code:code", "code:method", "code:method", "code:email"], NodeNames(sent));

        var mail = await LastMailAsync(s, email, "recovery_code_valid");
        var done = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["code"] = mail.Code(),
        })), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", done["state"]!.GetValue<string>());
        var cw = done["continue_with"]!.AsArray();
        Assert.Equal(["set_ory_session_token", "show_settings_ui"], cw.Select(c => c!["action"]!.GetValue<string>()));
        var token = cw[0]!["ory_session_token"]!.GetValue<string>();
        var who = new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami");
        who.Headers.Add("X-Session-Token", token);
        var session = await ExpectJson(await s.Public.SendAsync(who), HttpStatusCode.OK);
        Assert.Equal(id, session["identity"]!["id"]!.GetValue<string>());
        // Getting the mail proved control of the address.
        Assert.True(Address(await IdentityAsync(s, id))["verified"]!.GetValue<bool>());

        // The settings flow belongs to the recovered identity and says why the user is there.
        var settingsId = cw[1]!["flow"]!["id"]!.GetValue<string>();
        var get = new HttpRequestMessage(HttpMethod.Get, $"/self-service/settings/flows?id={settingsId}");
        get.Headers.Add("X-Session-Token", token);
        var settings = await ExpectJson(await s.Public.SendAsync(get), HttpStatusCode.OK);
        Assert.Contains(1060001, FlowMessageIds(settings));
        Assert.Equal(id, settings["identity"]!["id"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Spa_code_recovery_asks_for_a_browser_location_change(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "recovery");
        await ExpectJson(await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["email"] = email, ["csrf_token"] = Csrf(flow),
        })), HttpStatusCode.OK);
        var r = await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["code"] = (await LastMailAsync(s, email, "recovery_code_valid")).Code(), ["csrf_token"] = Csrf(flow),
        }));
        var body = await ExpectJson(r, (HttpStatusCode)422);
        Assert.Equal("browser_location_change_required", body["error"]!["id"]!.GetValue<string>());
        Assert.StartsWith(UiBase + "/settings?flow=", body["redirect_browser_to"]!.GetValue<string>());
        Assert.NotNull(SetCookie(r, "ory_kratos_session"));
        var who = await ExpectJson(await browser.SendAsync(Get("/sessions/whoami", json: true)), HttpStatusCode.OK);
        Assert.Equal(id, who["identity"]!["id"]!.GetValue<string>());
        Assert.Equal("code_recovery", who["authentication_methods"]![0]!["method"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Html_link_recovery_from_another_browser(string dialect)
    {
        await using var s = await StartServerAsync(dialect, use: "link");
        var email = Email();
        await RegisterAsync(s, email);
        using var browser = s.BrowserClient();
        var init = await browser.SendAsync(Get("/self-service/recovery/browser", json: false));
        Assert.Equal(HttpStatusCode.SeeOther, init.StatusCode);
        var ui = init.Headers.Location!.ToString();
        Assert.StartsWith(UiBase + "/recovery?flow=", ui);
        var flow = await ExpectJson(await browser.SendAsync(Get($"/self-service/recovery/flows?id={Query(ui, "flow")}", json: true)), HttpStatusCode.OK);
        Assert.Equal(["default:csrf_token", "link:email", "link:method"], NodeNames(flow));
        var post = await browser.SendAsync(PostForm(Action(flow), ("method", "link"), ("email", email), ("csrf_token", Csrf(flow))));
        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        Assert.Equal(ui, post.Headers.Location!.ToString());
        var sent = await ExpectJson(await browser.SendAsync(Get($"/self-service/recovery/flows?id={Query(ui, "flow")}", json: true)), HttpStatusCode.OK);
        Assert.Equal([1060002], FlowMessageIds(sent));

        var link = (await LastMailAsync(s, email, "recovery_valid")).Link();
        using var phone = s.BrowserClient();
        var open = await phone.SendAsync(Get(link, json: false));
        Assert.Equal(HttpStatusCode.SeeOther, open.StatusCode);
        Assert.StartsWith(UiBase + "/settings?flow=", open.Headers.Location!.ToString());
        Assert.NotNull(SetCookie(open, "ory_kratos_session"));
        var who = await ExpectJson(await phone.SendAsync(Get("/sessions/whoami", json: true)), HttpStatusCode.OK);
        Assert.Equal("link_recovery", who["authentication_methods"]![0]!["method"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Unknown_address_gets_the_same_answer_and_optionally_a_notice(string dialect)
    {
        await using var s = await StartServerAsync(dialect, notifyUnknown: true);
        var known = Email();
        await RegisterAsync(s, known);
        var unknown = Email();
        var answers = new List<JsonObject>();
        foreach (var email in new[] { known, unknown })
        {
            var flow = await NativeFlow(s, "recovery");
            answers.Add(await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email })),
                HttpStatusCode.OK));
        }
        Assert.Equal(NodeNames(answers[0]), NodeNames(answers[1]));
        Assert.Equal(FlowMessageIds(answers[0]), FlowMessageIds(answers[1]));
        Assert.Equal(answers[0]["state"]!.GetValue<string>(), answers[1]["state"]!.GetValue<string>());
        var notice = await LastMailAsync(s, unknown, "recovery_code_invalid");
        Assert.False(notice.HasSecret(), notice.Body);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Signed_in_users_cannot_start_recovery(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var reg = await RegisterNative(s, Email());
        var r = new HttpRequestMessage(HttpMethod.Get, "/self-service/recovery/api");
        r.Headers.Add("X-Session-Token", reg["session_token"]!.GetValue<string>());
        var body = await ExpectJson(await s.Public.SendAsync(r), HttpStatusCode.BadRequest);
        Assert.Equal("session_already_available", body["error"]!["id"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Disabled_recovery_and_wrong_method(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var flow = await NativeFlow(s, "recovery");
        var wrong = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "link", ["email"] = Email() })),
            HttpStatusCode.BadRequest);
        Assert.Equal([4000001], FlowMessageIds(wrong));
        await using var off = await StartServerAsync(dialect, tweak: root => root["selfservice"]!["flows"]!["recovery"]!["enabled"] = false);
        var r = await ExpectJson(await off.Public.GetAsync("/self-service/recovery/api"), HttpStatusCode.BadRequest);
        Assert.Equal("self_service_flow_disabled", r["error"]!["id"]!.GetValue<string>());
        await ExpectJson(await off.Admin.SendAsync(PostJson("/admin/recovery/code", new JsonObject { ["identity_id"] = Guid.NewGuid().ToString() })),
            HttpStatusCode.BadRequest);
    }
}
