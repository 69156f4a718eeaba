using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Settings.SettingsHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Settings;

/// <summary>A completed recovery lands in a full settings flow where the new password can be set at once.</summary>
public sealed class RecoveryHandoverTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_recovery_then_new_password_without_reauthentication(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        var issued = await ExpectJson(await s.Admin.SendAsync(PostJson("/admin/recovery/code",
            new JsonObject { ["identity_id"] = id, ["flow_type"] = "api" })), HttpStatusCode.Created);
        var body = await ExpectJson(await s.Public.SendAsync(PostJson(issued["recovery_link"]!.GetValue<string>(), new JsonObject
        {
            ["method"] = "code", ["code"] = issued["recovery_code"]!.GetValue<string>(),
        })), HttpStatusCode.OK);
        var cw = body["continue_with"]!.AsArray();
        var token = cw.Single(c => c!["action"]!.GetValue<string>() == "set_ory_session_token")!["ory_session_token"]!.GetValue<string>();
        var flowId = cw.Single(c => c!["action"]!.GetValue<string>() == "show_settings_ui")!["flow"]!["id"]!.GetValue<string>();

        var flow = await ExpectJson(await s.Public.SendAsync(WithToken(Get($"/self-service/settings/flows?id={flowId}", true), token)), HttpStatusCode.OK);
        Assert.Equal([1060001], FlowMessageIds(flow));
        Assert.Equal(id, flow["identity"]!["id"]!.GetValue<string>());
        Assert.Equal(email, Value(flow, "traits.email"));
        Assert.NotNull(Node(flow, "password"));

        var done = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password", ["password"] = NewPassword }), HttpStatusCode.OK);
        Assert.Equal("success", done["state"]!.GetValue<string>());
        Assert.NotNull(await LoginNative(s, email, NewPassword));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Browser_recovery_lands_in_this_browsers_settings_form(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var id = await RegisterAsync(s, email);
        var issued = await ExpectJson(await s.Admin.SendAsync(PostJson("/admin/recovery/code", new JsonObject { ["identity_id"] = id })), HttpStatusCode.Created);
        var link = issued["recovery_link"]!.GetValue<string>();
        using var browser = s.BrowserClient();
        await browser.SendAsync(Get(link, json: false));
        var recovery = await ExpectJson(await browser.SendAsync(Get($"/self-service/recovery/flows?id={Query(link, "flow")}", json: true)), HttpStatusCode.OK);
        var r = await browser.SendAsync(PostForm(Action(recovery), ("code", issued["recovery_code"]!.GetValue<string>()), ("method", "code"), ("csrf_token", Csrf(recovery))));
        var location = r.Headers.Location!.ToString();
        Assert.StartsWith(UiBase + "/settings?flow=", location);

        var flow = await ExpectJson(await browser.GetAsync($"/self-service/settings/flows?id={Query(location, "flow")}"), HttpStatusCode.OK);
        Assert.Equal("browser", flow["type"]!.GetValue<string>());
        var html = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", Csrf(flow)), ("method", "password"), ("password", NewPassword)));
        Assert.Equal(HttpStatusCode.SeeOther, html.StatusCode);
        Assert.DoesNotContain("/login", html.Headers.Location!.ToString());
        Assert.NotNull(await LoginNative(s, email, NewPassword));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Changed_email_gets_a_verification_message_and_continue_with(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var (token, _) = await SignUpNative(s, email);
        var flow = await NativeSettingsFlow(s, token);
        var name = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject
        {
            ["method"] = "profile", ["traits"] = new JsonObject { ["email"] = email, ["name"] = new JsonObject { ["first"] = "Ada" } },
        }), HttpStatusCode.OK);
        // Only new addresses are mailed: the unchanged (still unverified) one is not mailed again.
        Assert.DoesNotContain(name["continue_with"]!.AsArray(), c => c!["action"]!.GetValue<string>() == "show_verification_ui");

        var changed = Email();
        var done = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "profile", ["traits.email"] = changed }), HttpStatusCode.OK);
        var item = done["continue_with"]!.AsArray().Single(c => c!["action"]!.GetValue<string>() == "show_verification_ui")!;
        Assert.Equal(changed, item["flow"]!["verifiable_address"]!.GetValue<string>());
        Assert.Null(item["flow"]!["url"]); // native apps get no UI URL
        Assert.NotEmpty(await MailsAsync(s, changed));
    }
}
