using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Verification;

/// <summary>Verification around other flows: mailed after registration (continue_with), show_verification_ui, require_verified_address.</summary>
public sealed class VerificationHookTests
{
    private static Action<JsonObject> RegistrationHooks(params string[] hooks) => root =>
    {
        var arr = new JsonArray(hooks.Select(h => (JsonNode)new JsonObject { ["hook"] = h }).ToArray());
        root["selfservice"]!["flows"]!["registration"]!["after"] = new JsonObject { ["password"] = new JsonObject { ["hooks"] = arr } };
    };

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Registration_mails_a_code_and_points_to_the_verification_flow(string dialect)
    {
        await using var s = await StartServerAsync(dialect, tweak: RegistrationHooks("session", "verification"));
        var email = Email();
        var reg = await RegisterNative(s, email);
        var item = reg["continue_with"]!.AsArray().Single(c => c!["action"]!.GetValue<string>() == "show_verification_ui")!;
        Assert.Equal(email, item["flow"]!["verifiable_address"]!.GetValue<string>());
        Assert.Null(item["flow"]!["url"]);
        var flowId = item["flow"]!["id"]!.GetValue<string>();
        var flow = await ExpectJson(await s.Public.GetAsync($"/self-service/verification/flows?id={flowId}"), HttpStatusCode.OK);
        Assert.Equal("sent_email", flow["state"]!.GetValue<string>());
        Assert.Equal("api", flow["type"]!.GetValue<string>());
        var code = (await LastMailAsync(s, email, "verification_code_valid")).Code();
        var done = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["code"] = code })),
            HttpStatusCode.OK);
        Assert.Equal("passed_challenge", done["state"]!.GetValue<string>());
        Assert.Single(await MailsAsync(s, email));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Html_registration_with_show_verification_ui_goes_to_the_verification_ui(string dialect)
    {
        await using var s = await StartServerAsync(dialect, tweak: RegistrationHooks("session", "verification", "show_verification_ui"));
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "registration");
        var r = await browser.SendAsync(PostForm(Action(flow), ("traits.email", Email()), ("password", Password), ("method", "password"),
            ("csrf_token", Csrf(flow))));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        var location = r.Headers.Location!.ToString();
        Assert.StartsWith(UiBase + "/verification?flow=", location);
        // The browser that registered may show its verification flow.
        var v = await ExpectJson(await browser.SendAsync(Get($"/self-service/verification/flows?id={Query(location, "flow")}", json: true)),
            HttpStatusCode.OK);
        Assert.Equal("sent_email", v["state"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Without_verification_enabled_registration_mails_nothing(string dialect)
    {
        await using var s = await StartServerAsync(dialect, tweak: root =>
        {
            RegistrationHooks("session", "verification")(root);
            root["selfservice"]!["flows"]!["verification"]!["enabled"] = false;
        });
        var email = Email();
        var reg = await RegisterNative(s, email);
        Assert.DoesNotContain(reg["continue_with"]!.AsArray(), c => c!["action"]!.GetValue<string>() == "show_verification_ui");
        Assert.Empty(await MailsAsync(s, email));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Require_verified_address_refuses_until_verified(string dialect)
    {
        await using var s = await StartServerAsync(dialect, tweak: root =>
            root["selfservice"]!["flows"]!["login"]!["after"] = new JsonObject
            {
                ["hooks"] = new JsonArray(new JsonObject { ["hook"] = "require_verified_address" }),
            });
        var email = Email();
        var id = await RegisterAsync(s, email);

        async Task<HttpResponseMessage> Login()
        {
            var flow = await NativeFlow(s, "login");
            return await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
            {
                ["identifier"] = email, ["password"] = Password, ["method"] = "password",
            }));
        }

        var refused = await ExpectJson(await Login(), HttpStatusCode.BadRequest);
        Assert.Equal([4000010], FlowMessageIds(refused));

        var v = await NativeFlow(s, "verification");
        await s.Public.SendAsync(PostJson(Action(v), new JsonObject { ["method"] = "code", ["email"] = email }));
        var code = (await LastMailAsync(s, email, "verification_code_valid")).Code();
        await ExpectJson(await s.Public.SendAsync(PostJson(Action(v), new JsonObject { ["method"] = "code", ["code"] = code })), HttpStatusCode.OK);
        Assert.True(Address(await IdentityAsync(s, id))["verified"]!.GetValue<bool>());

        var ok = await ExpectJson(await Login(), HttpStatusCode.OK);
        Assert.NotNull(ok["session_token"]);
    }
}
