using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Verification;

/// <summary>Verification by code and by link for HTML browsers, SPAs and native apps, reading the mailed secret from the courier queue.</summary>
public sealed class VerificationFlowTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_code_verifies_the_address(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        Assert.False(Address(await IdentityAsync(s, id))["verified"]!.GetValue<bool>());

        var flow = await NativeFlow(s, "verification");
        Assert.Equal("choose_method", flow["state"]!.GetValue<string>());
        Assert.Equal(["code:email", "code:method", "default:csrf_token"], NodeNames(flow));
        var sent = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["email"] = email.ToUpperInvariant(),
        })), HttpStatusCode.OK);
        Assert.Equal("sent_email", sent["state"]!.GetValue<string>());
        Assert.Equal([1080003], FlowMessageIds(sent));
        Assert.Equal(["code:method", "code:code", "code:method", "default:csrf_token", "code:email"], NodeNames(sent));
        Assert.Equal("sent", Address(await IdentityAsync(s, id))["status"]!.GetValue<string>());

        var mail = await LastMailAsync(s, email, "verification_code_valid");
        var done = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["code"] = mail.Code(),
        })), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", done["state"]!.GetValue<string>());
        Assert.Equal([1080002], FlowMessageIds(done));
        Assert.Equal("success", done["ui"]!["messages"]![0]!["type"]!.GetValue<string>());
        var continueNode = done["ui"]!["nodes"]!.AsArray().Single(n => n!["type"]!.GetValue<string>() == "a")!;
        Assert.Equal(UiBase + "/welcome", continueNode["attributes"]!["href"]!.GetValue<string>());

        var address = Address(await IdentityAsync(s, id));
        Assert.True(address["verified"]!.GetValue<bool>());
        Assert.Equal("completed", address["status"]!.GetValue<string>());
        Assert.NotNull(address["verified_at"]);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Spa_code_with_csrf(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "verification");
        Assert.Equal("browser", flow["type"]!.GetValue<string>());
        // Without the CSRF token the submission is refused.
        var refused = await browser.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var sent = await ExpectJson(await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["email"] = email, ["csrf_token"] = Csrf(flow),
        })), HttpStatusCode.OK);
        var code = (await LastMailAsync(s, email, "verification_code_valid")).Code();
        var done = await ExpectJson(await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["code"] = code, ["csrf_token"] = Csrf(sent),
        })), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", done["state"]!.GetValue<string>());
        Assert.True(Address(await IdentityAsync(s, id))["verified"]!.GetValue<bool>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Html_form_then_mailed_code_link_in_another_browser(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        using var browser = s.BrowserClient();
        var init = await browser.SendAsync(Get("/self-service/verification/browser", json: false));
        Assert.Equal(HttpStatusCode.SeeOther, init.StatusCode);
        var ui = init.Headers.Location!.ToString();
        Assert.StartsWith(UiBase + "/verification?flow=", ui);
        var flow = await ExpectJson(await browser.SendAsync(Get($"/self-service/verification/flows?id={Query(ui, "flow")}", json: true)), HttpStatusCode.OK);
        var post = await browser.SendAsync(PostForm(Action(flow), ("method", "code"), ("email", email), ("csrf_token", Csrf(flow))));
        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        Assert.Equal(ui, post.Headers.Location!.ToString());

        var link = (await LastMailAsync(s, email, "verification_code_valid")).Link();
        Assert.Equal(Query(ui, "flow"), Query(link, "flow"));
        using var phone = s.BrowserClient();
        var open = await phone.SendAsync(Get(link, json: false));
        Assert.Equal(HttpStatusCode.SeeOther, open.StatusCode);
        Assert.Equal(ui, open.Headers.Location!.ToString());
        // The verified flow can be shown in the browser that opened the mail.
        var shown = await ExpectJson(await phone.SendAsync(Get($"/self-service/verification/flows?id={Query(ui, "flow")}", json: true)), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", shown["state"]!.GetValue<string>());
        Assert.True(Address(await IdentityAsync(s, id))["verified"]!.GetValue<bool>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Link_method_verifies_once(string dialect)
    {
        await using var s = await StartServerAsync(dialect, use: "link");
        var email = Email();
        var id = await RegisterAsync(s, email);
        var flow = await NativeFlow(s, "verification");
        Assert.Equal(["default:csrf_token", "link:email", "link:method"], NodeNames(flow));
        var sent = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "link", ["email"] = email })),
            HttpStatusCode.OK);
        Assert.Equal([1080001], FlowMessageIds(sent));
        Assert.Equal(email, Node(sent, "email")!["attributes"]!["value"]!.GetValue<string>());
        var link = (await LastMailAsync(s, email, "verification_valid")).Link();
        Assert.Matches("token=[A-Za-z0-9]{32}", link);
        var done = await ExpectJson(await s.Public.SendAsync(Get(link, json: true)), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", done["state"]!.GetValue<string>());
        Assert.True(Address(await IdentityAsync(s, id))["verified"]!.GetValue<bool>());
        var again = await s.Public.SendAsync(Get(link, json: true));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Unknown_address_gets_the_same_answer(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var known = Email();
        await RegisterAsync(s, known);
        var unknown = Email();
        var answers = new List<JsonObject>();
        foreach (var email in new[] { known, unknown })
        {
            var flow = await NativeFlow(s, "verification");
            answers.Add(await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email })),
                HttpStatusCode.OK));
        }
        Assert.Equal(NodeNames(answers[0]), NodeNames(answers[1]));
        Assert.Equal(FlowMessageIds(answers[0]), FlowMessageIds(answers[1]));
        Assert.Equal(answers[0]["state"]!.GetValue<string>(), answers[1]["state"]!.GetValue<string>());
        Assert.Empty(await MailsAsync(s, unknown));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Unknown_address_is_told_when_configured(string dialect)
    {
        await using var s = await StartServerAsync(dialect, notifyUnknown: true);
        var unknown = Email();
        var flow = await NativeFlow(s, "verification");
        await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = unknown })), HttpStatusCode.OK);
        var mail = await LastMailAsync(s, unknown, "verification_code_invalid");
        Assert.False(mail.HasSecret(), mail.Body);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Wrong_codes_then_blocked_and_resend_replaces_the_code(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        await RegisterAsync(s, email);
        var flow = await NativeFlow(s, "verification");
        await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email }));
        var first = (await LastMailAsync(s, email, "verification_code_valid")).Code();
        await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email }));
        var second = (await LastMailAsync(s, email, "verification_code_valid")).Code();
        if (first != second)
        {
            var old = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["code"] = first })),
                HttpStatusCode.BadRequest);
            Assert.Equal([4070006], FlowMessageIds(old));
        }
        var wrong = second == "000000" ? "111111" : "000000";
        while (true)
        {
            var r = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["code"] = wrong })),
                HttpStatusCode.BadRequest);
            Assert.Equal([4070006], FlowMessageIds(r));
            if (r["ui"]!["messages"]![0]!["text"]!.GetValue<string>().Contains("Too many")) break;
        }
        var blocked = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["code"] = second })),
            HttpStatusCode.BadRequest);
        Assert.Contains("Too many", blocked["ui"]!["messages"]![0]!["text"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Concurrent_code_submissions_verify_once(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        await RegisterAsync(s, email);
        var flow = await NativeFlow(s, "verification");
        await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email }));
        var code = (await LastMailAsync(s, email, "verification_code_valid")).Code();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["code"] = code }))));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Expired_code_and_expired_flow(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        await RegisterAsync(s, email);
        var flow = await NativeFlow(s, "verification");
        await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email }));
        var code = (await LastMailAsync(s, email, "verification_code_valid")).Code();
        await ExpireSecretsAsync(s, flow["id"]!.GetValue<string>());
        var r = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["code"] = code })),
            HttpStatusCode.BadRequest);
        Assert.Equal([4070006], FlowMessageIds(r));
        await ExpireFlowAsync(s, flow["id"]!.GetValue<string>());
        var gone = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["code"] = code })),
            HttpStatusCode.Gone);
        var fresh = await ExpectJson(await s.Public.GetAsync($"/self-service/verification/flows?id={gone["use_flow_id"]}"), HttpStatusCode.OK);
        Assert.Equal([4070005], FlowMessageIds(fresh));
        await ExpectJson(await s.Public.GetAsync($"/self-service/verification/flows?id={flow["id"]}"), HttpStatusCode.Gone);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Bad_requests(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        await ExpectJson(await s.Public.GetAsync("/self-service/verification/flows?id=nope"), HttpStatusCode.BadRequest);
        await ExpectJson(await s.Public.GetAsync($"/self-service/verification/flows?id={Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ExpectJson(await s.Public.SendAsync(PostJson($"/self-service/verification?flow={Guid.NewGuid()}", new JsonObject())), HttpStatusCode.NotFound);
        var flow = await NativeFlow(s, "verification");
        var missing = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code" })), HttpStatusCode.BadRequest);
        Assert.Equal([4000002], NodeMessageIds(missing, "email"));
        var other = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "password", ["email"] = "a@b.c" })),
            HttpStatusCode.BadRequest);
        Assert.Equal([4000001], FlowMessageIds(other));
        // A browser flow's id is not readable by another browser.
        using var a = s.BrowserClient();
        var browserFlow = await SpaFlow(a, "verification");
        using var b = s.BrowserClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await b.SendAsync(Get($"/self-service/verification/flows?id={browserFlow["id"]}", json: true))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Disabled_verification_is_a_400(string dialect)
    {
        await using var s = await StartServerAsync(dialect, tweak: root =>
            root["selfservice"]!["flows"]!["verification"]!["enabled"] = false);
        var r = await ExpectJson(await s.Public.GetAsync("/self-service/verification/api"), HttpStatusCode.BadRequest);
        Assert.Equal("self_service_flow_disabled", r["error"]!["id"]!.GetValue<string>());
    }
}
