using System.Net;
using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Settings.SettingsHarness;

namespace Warden.Tests.Settings;

/// <summary>
/// Privileged changes on a session signed in too long ago: refused with a way to re-authenticate, parked
/// (hashed) meanwhile, and applied when the user comes back with a fresh sign-in. Sessions are aged by
/// moving authenticated_at back in the database, so nothing depends on wall-clock timing.
/// </summary>
public sealed class PrivilegedSettingsTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_stale_session_refresh_then_the_parked_password_applies(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect, c => c["privileged_session_max_age"] = "1s");
        var email = Email();
        var (token, identityId) = await SignUpNative(s, email);
        await AgeSessions(s, identityId, TimeSpan.FromMinutes(5));
        var flow = await NativeSettingsFlow(s, token);
        var r = await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password", ["password"] = NewPassword });
        var refused = await ExpectJson(r, HttpStatusCode.Forbidden);
        Assert.Equal("session_refresh_required", ErrorId(refused));
        var expected = s.Host.Urls.PublicUrl("self-service/login/browser") + "?refresh=true&return_to="
            + Uri.EscapeDataString(s.Host.Urls.PublicUrl($"self-service/settings?flow={flow["id"]}"));
        Assert.Equal(expected, refused["redirect_browser_to"]!.GetValue<string>());
        Assert.Equal(expected, refused["error"]!["details"]!["redirect_browser_to"]!.GetValue<string>());
        // Not applied yet, and what waits is a hash, never the password.
        Assert.NotNull(await LoginNative(s, email, Password));
        await using (var c = await s.Service<Database>().OpenAsync())
        {
            var parked = (await c.QueryAsync<string>("SELECT payload FROM continuity_containers WHERE identity_id = @identityId", new { identityId })).ToList();
            Assert.Single(parked);
            Assert.DoesNotContain(NewPassword, parked[0]);
            Assert.Contains("hashed_password", parked[0]);
        }
        // Coming back without re-authenticating is refused again.
        var stillStale = await s.Public.SendAsync(WithToken(Get(Action(flow), json: true), token));
        Assert.Equal("session_refresh_required", ErrorId(await ExpectJson(stillStale, HttpStatusCode.Forbidden)));

        // Re-authenticate the session (refresh login), then come back to the flow: the change applies.
        await AgeSessions(s, identityId, TimeSpan.FromMinutes(5));
        var refresh = await ExpectJson(await s.Public.SendAsync(WithToken(Get("/self-service/login/api?refresh=true", true), token)), HttpStatusCode.OK);
        var relogin = await ExpectJson(await s.Public.SendAsync(WithToken(PostJson(Action(refresh), new JsonObject
        {
            ["method"] = "password", ["identifier"] = email, ["password"] = Password,
        }), token)), HttpStatusCode.OK);
        var fresh = relogin["session_token"]?.GetValue<string>() ?? token;
        var resumed = await ExpectJson(await s.Public.SendAsync(WithToken(Get(Action(flow), json: true), fresh)), HttpStatusCode.OK);
        Assert.Equal("success", resumed["state"]!.GetValue<string>());
        Assert.Equal("password", resumed["active"]!.GetValue<string>());
        Assert.Equal([1050001], FlowMessageIds(resumed));
        Assert.NotNull(await LoginNative(s, email, NewPassword));
        Assert.Null(await LoginNative(s, email, Password));
        // Applied once: coming back again has nothing to resume.
        var twice = await s.Public.SendAsync(WithToken(Get(Action(flow), json: true), fresh));
        Assert.Equal([4010004], FlowMessageIds(await ExpectJson(twice, HttpStatusCode.BadRequest)));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Html_browser_goes_through_refresh_login_and_returns_to_the_applied_change(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        using var browser = await SignUpBrowser(s, email);
        var identityId = Guid.Parse((await ExpectJson(await browser.GetAsync("/sessions/whoami"), HttpStatusCode.OK))["identity"]!["id"]!.GetValue<string>());
        await AgeSessions(s, identityId, TimeSpan.FromHours(1)); // default privileged_session_max_age is 15m
        var flow = await SpaFlow(browser, "settings");

        var post = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", Csrf(flow)), ("method", "password"), ("password", NewPassword)));
        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        var loginInit = post.Headers.Location!.ToString();
        Assert.StartsWith(s.Host.Urls.PublicUrl("self-service/login/browser") + "?refresh=true&return_to=", loginInit);

        var toUi = await browser.SendAsync(Get(loginInit, json: false));
        Assert.Equal(HttpStatusCode.SeeOther, toUi.StatusCode);
        var loginId = toUi.Headers.Location!.ToString().Split("flow=")[1];
        Assert.StartsWith(UiBase + "/login?flow=", toUi.Headers.Location!.ToString());
        var login = await ExpectJson(await browser.GetAsync($"/self-service/login/flows?id={loginId}"), HttpStatusCode.OK);
        Assert.True(login["refresh"]!.GetValue<bool>());
        var signedIn = await browser.SendAsync(PostForm(Action(login), ("csrf_token", Csrf(login)), ("identifier", email), ("password", Password), ("method", "password")));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal(s.Host.Urls.PublicUrl($"self-service/settings?flow={flow["id"]}"), signedIn.Headers.Location!.ToString());

        var back = await browser.SendAsync(Get(signedIn.Headers.Location!.ToString(), json: false));
        Assert.Equal(HttpStatusCode.SeeOther, back.StatusCode);
        Assert.Equal($"{UiBase}/settings?flow={flow["id"]}", back.Headers.Location!.ToString());
        var shown = await ExpectJson(await browser.GetAsync($"/self-service/settings/flows?id={flow["id"]}"), HttpStatusCode.OK);
        Assert.Equal("success", shown["state"]!.GetValue<string>());
        Assert.NotNull(await LoginNative(s, email, NewPassword));
        Assert.Null(await LoginNative(s, email, Password));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Spa_stale_session_gets_403_and_only_privileged_profile_changes_wait(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        using var browser = await SignUpBrowser(s, email);
        var identityId = Guid.Parse((await ExpectJson(await browser.GetAsync("/sessions/whoami"), HttpStatusCode.OK))["identity"]!["id"]!.GetValue<string>());
        await AgeSessions(s, identityId, TimeSpan.FromHours(1));
        var flow = await SpaFlow(browser, "settings");

        // A plain trait needs no fresh sign-in.
        var name = await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "profile", ["csrf_token"] = Csrf(flow), ["traits"] = new JsonObject { ["email"] = email, ["name"] = new JsonObject { ["first"] = "Grace" } },
        }));
        Assert.Equal("success", (await ExpectJson(name, HttpStatusCode.OK))["state"]!.GetValue<string>());
        // Changing only the case of the identifier is not an identifier change either.
        var caseOnly = await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "profile", ["csrf_token"] = Csrf(flow), ["traits"] = new JsonObject { ["email"] = email.ToUpperInvariant() },
        }));
        await ExpectJson(caseOnly, HttpStatusCode.OK);
        // The identifier is privileged.
        var changed = Email();
        var id = await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "profile", ["csrf_token"] = Csrf(flow), ["traits"] = new JsonObject { ["email"] = changed },
        }));
        var refused = await ExpectJson(id, HttpStatusCode.Forbidden);
        Assert.Equal("session_refresh_required", ErrorId(refused));
        Assert.Contains("refresh=true", refused["redirect_browser_to"]!.GetValue<string>());
        Assert.Null(await LoginNative(s, changed, Password));
        Assert.NotNull(await LoginNative(s, email, Password));
    }
}
