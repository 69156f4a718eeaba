using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Settings.SettingsHarness;

namespace Warden.Tests.Settings;

/// <summary><c>revoke_active_sessions</c> after a settings change, and the absence of any revocation without it.</summary>
public sealed class RevokeSessionsHookTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Password_change_ends_every_other_session_only_with_the_hook(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect, c => c["after"] = new JsonObject
        {
            ["password"] = new JsonObject { ["hooks"] = new JsonArray(new JsonObject { ["hook"] = "revoke_active_sessions" }) },
        });
        var email = Email();
        var (token, _) = await SignUpNative(s, email);
        var phone = (await LoginNative(s, email, Password))!;
        using var browser = s.BrowserClient();
        var login = await SpaFlow(browser, "login");
        await ExpectJson(await browser.SendAsync(PostJson(Action(login), new JsonObject
        {
            ["method"] = "password", ["csrf_token"] = Csrf(login), ["identifier"] = email, ["password"] = Password,
        })), HttpStatusCode.OK);
        var (bystander, _) = await SignUpNative(s, Email());

        // A profile change runs the profile hooks (none): nobody is signed out.
        var flow = await NativeSettingsFlow(s, token);
        await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "profile", ["traits.email"] = email }), HttpStatusCode.OK);
        Assert.Equal(200, await Whoami(s, phone));

        var r = await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password", ["password"] = NewPassword });
        await ExpectJson(r, HttpStatusCode.OK);
        Assert.Equal(200, await Whoami(s, token));
        Assert.Equal(401, await Whoami(s, phone));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/sessions/whoami")).StatusCode);
        Assert.Equal(200, await Whoami(s, bystander));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Without_the_hook_a_password_change_invalidates_nothing(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        var (token, _) = await SignUpNative(s, email);
        var phone = (await LoginNative(s, email, Password))!;
        var flow = await NativeSettingsFlow(s, token);
        await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password", ["password"] = NewPassword }), HttpStatusCode.OK);
        Assert.Equal(200, await Whoami(s, token));
        Assert.Equal(200, await Whoami(s, phone));
    }
}
