using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Verification;

/// <summary>
/// Verification starts after every registration when the verification flow is enabled, with no hook
/// configured (as in Kratos), for native, SPA and HTML clients, and mails each address exactly once.
/// </summary>
public sealed class RegistrationVerificationTests
{
    private static JsonObject VerificationItem(JsonObject registration) =>
        registration["continue_with"]!.AsArray().OfType<JsonObject>().Single(c => c["action"]!.GetValue<string>() == "show_verification_ui");

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_registration_mails_once_without_hook_config(string dialect)
    {
        // The harness configures only the session hook after registration.
        await using var s = await StartServerAsync(dialect);
        var email = Email();
        var reg = await RegisterNative(s, email);
        var flow = VerificationItem(reg)["flow"]!.AsObject();
        Assert.Equal(email, flow["verifiable_address"]!.GetValue<string>());
        Assert.True(Guid.TryParse(flow["id"]!.GetValue<string>(), out _));
        // Kratos compat: native apps get no URL to open.
        Assert.Null(flow["url"]);
        var mail = Assert.Single(await MailsAsync(s, email));
        Assert.Equal("verification_code_valid", mail.TemplateType);
        var v = await ExpectJson(await s.Public.GetAsync($"/self-service/verification/flows?id={flow["id"]}"), HttpStatusCode.OK);
        Assert.Equal("sent_email", v["state"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Spa_registration_continues_with_the_verification_ui(string dialect)
    {
        await using var s = await StartServerAsync(dialect);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "registration");
        var email = Email();
        var reg = await ExpectJson(await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = email, ["password"] = Password, ["method"] = "password", ["csrf_token"] = Csrf(flow),
        })), HttpStatusCode.OK);
        var item = VerificationItem(reg)["flow"]!.AsObject();
        Assert.Equal(email, item["verifiable_address"]!.GetValue<string>());
        Assert.Equal($"{UiBase}/verification?flow={item["id"]}", item["url"]!.GetValue<string>());
        Assert.Single(await MailsAsync(s, email));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Html_registration_without_session_hook_still_mails_and_returns_home(string dialect)
    {
        await using var s = await StartServerAsync(dialect, tweak: root =>
            root["selfservice"]!["flows"]!["registration"]!["after"] = new JsonObject());
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "registration");
        var email = Email();
        var r = await browser.SendAsync(PostForm(Action(flow), ("traits.email", email), ("password", Password), ("method", "password"),
            ("csrf_token", Csrf(flow))));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        // Kratos compat: without show_verification_ui an HTML browser goes to the return URL as before.
        Assert.Equal(UiBase + "/welcome", r.Headers.Location!.ToString());
        var mail = Assert.Single(await MailsAsync(s, email));
        Assert.Equal("verification_code_valid", mail.TemplateType);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_configured_verification_hook_does_not_mail_twice(string dialect)
    {
        await using var s = await StartServerAsync(dialect, tweak: root =>
            root["selfservice"]!["flows"]!["registration"]!["after"] = new JsonObject
            {
                ["hooks"] = new JsonArray(new JsonObject { ["hook"] = "verification" }, new JsonObject { ["hook"] = "session" }),
            });
        var email = Email();
        var reg = await RegisterNative(s, email);
        Assert.Single(reg["continue_with"]!.AsArray().OfType<JsonObject>(), c => c["action"]!.GetValue<string>() == "show_verification_ui");
        Assert.Single(await MailsAsync(s, email));
    }
}
