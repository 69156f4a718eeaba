using System.Net;
using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Settings.SettingsHarness;

namespace Warden.Tests.Settings;

/// <summary>Profile and password changes with a fresh session, in each client kind, and their validation.</summary>
public sealed class SettingsChangeTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_profile_change_of_plain_traits(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        var (token, _) = await SignUpNative(s, email);
        var flow = await NativeSettingsFlow(s, token);
        var r = await SubmitNative(s, flow, token, new JsonObject
        {
            ["method"] = "profile", ["traits"] = new JsonObject { ["email"] = email, ["name"] = new JsonObject { ["first"] = "Ada" }, ["tos"] = "true" },
        });
        var done = await ExpectJson(r, HttpStatusCode.OK);
        Assert.Equal("success", done["state"]!.GetValue<string>());
        Assert.Equal("profile", done["active"]!.GetValue<string>());
        Assert.Equal([1050001], FlowMessageIds(done));
        Assert.Equal("success", done["ui"]!["messages"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("Ada", done["identity"]!["traits"]!["name"]!["first"]!.GetValue<string>());
        Assert.True(done["identity"]!["traits"]!["tos"]!.GetValue<bool>());
        Assert.Equal("Ada", Value(done, "traits.name.first"));
        var who = await ExpectJson(await s.Public.SendAsync(WithToken(new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami"), token)), HttpStatusCode.OK);
        Assert.Equal("Ada", who["identity"]!["traits"]!["name"]!["first"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Identifier_change_moves_login_and_resets_verification(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        var (token, identityId) = await SignUpNative(s, email);
        await using (var c = await s.Service<Database>().OpenAsync())
            await c.ExecuteAsync("UPDATE identity_verifiable_addresses SET verified = @yes, status = 'completed', verified_at = @now WHERE identity_id = @identityId",
                new { yes = true, now = DateTime.UtcNow, identityId });
        var flow = await NativeSettingsFlow(s, token);
        var changed = Email();
        var r = await SubmitNative(s, flow, token, new JsonObject { ["method"] = "profile", ["traits.email"] = changed.ToUpperInvariant() });
        var done = await ExpectJson(r, HttpStatusCode.OK);
        var address = done["identity"]!["verifiable_addresses"]!.AsArray().Single()!;
        Assert.Equal(changed, address["value"]!.GetValue<string>());
        Assert.False(address["verified"]!.GetValue<bool>());
        Assert.Equal("pending", address["status"]!.GetValue<string>());
        Assert.Equal(changed, done["identity"]!["recovery_addresses"]![0]!["value"]!.GetValue<string>());

        Assert.NotNull(await LoginNative(s, changed, Password));
        Assert.Null(await LoginNative(s, email, Password));
        // The old identifier is free again.
        await SignUpNative(s, email);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_password_change_with_a_fresh_session(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        var (token, identityId) = await SignUpNative(s, email);
        var flow = await NativeSettingsFlow(s, token);
        var r = await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password", ["password"] = NewPassword });
        var done = await ExpectJson(r, HttpStatusCode.OK);
        Assert.Equal("success", done["state"]!.GetValue<string>());
        Assert.Null(Node(done, "password")!["attributes"]!["value"]);
        Assert.DoesNotContain(NewPassword, done.ToJsonString());
        Assert.NotNull(await LoginNative(s, email, NewPassword));
        Assert.Null(await LoginNative(s, email, Password));
        // Stored hashed, never in clear.
        string config;
        await using (var c = await s.Service<Database>().OpenAsync())
            config = await c.QuerySingleAsync<string>(
                "SELECT config FROM identity_credentials WHERE identity_id = @identityId AND type = 'password'",
                new { identityId });
        Assert.DoesNotContain(NewPassword, config);
        Assert.Contains("hashed_password", config);
        // Without revoke_active_sessions, the session that changed it and every other one stay.
        Assert.Equal(200, await Whoami(s, token));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Validation_errors_per_client_kind(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        var (token, _) = await SignUpNative(s, email);
        var flow = await NativeSettingsFlow(s, token);
        // Same policy as registration: too short, too close to the identifier, missing.
        var shortPw = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password", ["password"] = "abc" }), HttpStatusCode.BadRequest);
        Assert.Equal([4000032], NodeMessageIds(shortPw, "password"));
        Assert.Equal("show_form", shortPw["state"]!.GetValue<string>());
        var similar = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password", ["password"] = email }), HttpStatusCode.BadRequest);
        Assert.Equal([4000031], NodeMessageIds(similar, "password"));
        var missing = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password" }), HttpStatusCode.BadRequest);
        Assert.Equal([4000002], NodeMessageIds(missing, "password"));
        var badEmail = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "profile", ["traits"] = new JsonObject { ["email"] = "not-an-email" } }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(NodeMessageIds(badEmail, "traits.email"));
        Assert.Equal("not-an-email", Value(badEmail, "traits.email"));
        var unknown = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "totp" }), HttpStatusCode.BadRequest);
        Assert.Equal([4010004], FlowMessageIds(unknown));
        var notObject = await ExpectJson(await SubmitNative(s, flow, token, new JsonObject { ["method"] = "profile", ["traits"] = "x" }), HttpStatusCode.BadRequest);
        Assert.NotNull(notObject["error"]);
        // Nothing changed.
        Assert.NotNull(await LoginNative(s, email, Password));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Browser_html_and_spa_changes(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        using var browser = await SignUpBrowser(s, email);
        var flow = await SpaFlow(browser, "settings");

        // SPA without CSRF token: refused, nothing changed.
        var noCsrf = await browser.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "password", ["password"] = NewPassword }));
        Assert.Equal("security_csrf_violation", ErrorId(await ExpectJson(noCsrf, HttpStatusCode.Forbidden)));

        // HTML: a validation error returns to the form, success goes back to the settings UI.
        var bad = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", Csrf(flow)), ("method", "password"), ("password", "short")));
        Assert.Equal(HttpStatusCode.SeeOther, bad.StatusCode);
        Assert.Equal($"{UiBase}/settings?flow={flow["id"]}", bad.Headers.Location!.ToString());
        var ok = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", Csrf(flow)), ("method", "profile"), ("traits.email", email), ("traits.name.last", "Lovelace")));
        Assert.Equal(HttpStatusCode.SeeOther, ok.StatusCode);
        Assert.Equal($"{UiBase}/settings?flow={flow["id"]}", ok.Headers.Location!.ToString());
        var shown = await ExpectJson(await browser.GetAsync($"/self-service/settings/flows?id={flow["id"]}"), HttpStatusCode.OK);
        Assert.Equal("success", shown["state"]!.GetValue<string>());
        Assert.Equal("Lovelace", shown["identity"]!["traits"]!["name"]!["last"]!.GetValue<string>());

        // SPA with return_to: 200 with the flow and a redirect for the browser.
        var withReturn = await SpaFlow(browser, "settings", "?return_to=" + Uri.EscapeDataString(UiBase + "/dashboard"));
        var spa = await browser.SendAsync(PostJson(Action(withReturn), new JsonObject
        {
            ["method"] = "password", ["password"] = NewPassword, ["csrf_token"] = Csrf(withReturn),
        }));
        var done = await ExpectJson(spa, HttpStatusCode.OK);
        Assert.Equal("success", done["state"]!.GetValue<string>());
        Assert.Contains(done["continue_with"]!.AsArray(), c => c!["action"]!.GetValue<string>() == "redirect_browser_to"
            && c["redirect_browser_to"]!.GetValue<string>() == UiBase + "/dashboard");
        Assert.NotNull(await LoginNative(s, email, NewPassword));

        // HTML success with return_to goes there.
        var again = await SpaFlow(browser, "settings", "?return_to=" + Uri.EscapeDataString(UiBase + "/dashboard"));
        var html = await browser.SendAsync(PostForm(Action(again), ("csrf_token", Csrf(again)), ("method", "profile"), ("traits.email", email)));
        Assert.Equal(UiBase + "/dashboard", html.Headers.Location!.ToString());
    }
}
