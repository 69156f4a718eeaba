using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Settings.SettingsHarness;

namespace Warden.Tests.Settings;

/// <summary>Creating and fetching settings flows: the session requirement, ownership and the form.</summary>
public sealed class SettingsInitTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_flow_carries_identity_and_schema_form_prefilled(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        var (token, identityId) = await SignUpNative(s, email);
        var flow = await NativeSettingsFlow(s, token);
        Assert.Equal("api", flow["type"]!.GetValue<string>());
        Assert.Equal("show_form", flow["state"]!.GetValue<string>());
        Assert.Equal(identityId.ToString(), flow["identity"]!["id"]!.GetValue<string>());
        Assert.Null(flow["identity"]!["credentials"]);
        Assert.Equal(s.Host.Urls.PublicUrl($"self-service/settings?flow={flow["id"]}"), Action(flow));
        Assert.Equal("", Csrf(flow));
        // Kratos' order: csrf, profile traits in schema order, profile submit, password, password submit.
        var nodes = flow["ui"]!["nodes"]!.AsArray().Select(n => $"{n!["group"]}:{n["attributes"]!["name"]}:{n["attributes"]!["value"]}").ToList();
        Assert.Equal(
        [
            "default:csrf_token:", $"profile:traits.email:{email}", "profile:traits.name.first:", "profile:traits.name.last:",
            "profile:traits.tos:", "profile:method:profile", "password:password:", "password:method:password",
        ], nodes);
        Assert.Equal(1070003, Node(flow, "method")!["meta"]!["label"]!["id"]!.GetValue<int>());
        Assert.Equal("new-password", Node(flow, "password")!["attributes"]!["autocomplete"]!.GetValue<string>());

        // getSettingsFlow with the owner's token.
        var got = await ExpectJson(await s.Public.SendAsync(WithToken(Get($"/self-service/settings/flows?id={flow["id"]}", true), token)), HttpStatusCode.OK);
        Assert.Equal(flow["id"]!.ToString(), got["id"]!.ToString());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Without_a_session_json_is_401_and_html_goes_to_login(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        Assert.Equal("session_inactive", ErrorId(await ExpectJson(await s.Public.GetAsync("/self-service/settings/api"), HttpStatusCode.Unauthorized)));
        using var browser = s.BrowserClient();
        var spa = await browser.SendAsync(Get("/self-service/settings/browser", json: true));
        Assert.Equal("session_inactive", ErrorId(await ExpectJson(spa, HttpStatusCode.Unauthorized)));
        var html = await browser.SendAsync(Get("/self-service/settings/browser?return_to=" + Uri.EscapeDataString(UiBase + "/dashboard"), json: false));
        Assert.Equal(HttpStatusCode.SeeOther, html.StatusCode);
        var back = s.Host.Urls.PublicUrl("self-service/settings/browser") + "?return_to=" + Uri.EscapeDataString(UiBase + "/dashboard");
        Assert.Equal(s.Host.Urls.PublicUrl("self-service/login/browser") + "?return_to=" + Uri.EscapeDataString(back), html.Headers.Location!.ToString());
        var get = await s.Public.SendAsync(Get($"/self-service/settings/flows?id={Guid.NewGuid()}", true));
        Assert.Equal("session_inactive", ErrorId(await ExpectJson(get, HttpStatusCode.Unauthorized)));
        // The login started there returns to settings when it succeeds (the return_to is admitted).
        var login = await browser.SendAsync(Get(html.Headers.Location!.ToString(), json: true));
        Assert.Equal(back, (await ExpectJson(login, HttpStatusCode.OK))["return_to"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Browser_html_and_spa_init(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var email = Email();
        using var browser = await SignUpBrowser(s, email);
        var html = await browser.SendAsync(Get("/self-service/settings/browser", json: false));
        Assert.Equal(HttpStatusCode.SeeOther, html.StatusCode);
        var location = html.Headers.Location!.ToString();
        Assert.StartsWith(UiBase + "/settings?flow=", location);
        var id = location.Split("flow=")[1];
        var flow = await ExpectJson(await browser.GetAsync($"/self-service/settings/flows?id={id}"), HttpStatusCode.OK);
        Assert.Equal("browser", flow["type"]!.GetValue<string>());
        Assert.NotEqual("", Csrf(flow));
        Assert.Equal(email, Value(flow, "traits.email"));

        var spa = await SpaFlow(browser, "settings", "?return_to=" + Uri.EscapeDataString(UiBase + "/dashboard/x"));
        Assert.Equal(UiBase + "/dashboard/x", spa["return_to"]!.GetValue<string>());
        var bad = await browser.SendAsync(Get("/self-service/settings/browser?return_to=https://evil.com/", json: true));
        Assert.Equal("self_service_flow_return_to_forbidden", ErrorId(await ExpectJson(bad, HttpStatusCode.BadRequest)));
        // Another browser (no session) may not read it; the owner's flow stays private to the owner.
        using var stranger = s.BrowserClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync($"/self-service/settings/flows?id={id}")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Another_identity_gets_403_on_get_and_update(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect);
        var (owner, _) = await SignUpNative(s, Email());
        var (other, _) = await SignUpNative(s, Email());
        var flow = await NativeSettingsFlow(s, owner);
        var get = await s.Public.SendAsync(WithToken(Get($"/self-service/settings/flows?id={flow["id"]}", true), other));
        Assert.Equal("security_identity_mismatch", ErrorId(await ExpectJson(get, HttpStatusCode.Forbidden)));
        var post = await SubmitNative(s, flow, other, new JsonObject { ["method"] = "password", ["password"] = NewPassword });
        Assert.Equal("security_identity_mismatch", ErrorId(await ExpectJson(post, HttpStatusCode.Forbidden)));
        var none = await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "password", ["password"] = NewPassword }));
        Assert.Equal("session_inactive", ErrorId(await ExpectJson(none, HttpStatusCode.Unauthorized)));
        // Browsers: another signed-in browser is refused too, HTML via the error UI.
        using var browser = await SignUpBrowser(s, Email());
        var spaFlow = await SpaFlow(browser, "settings");
        using var intruder = await SignUpBrowser(s, Email());
        var spa = await intruder.SendAsync(Get($"/self-service/settings/flows?id={spaFlow["id"]}", true));
        Assert.Equal("security_identity_mismatch", ErrorId(await ExpectJson(spa, HttpStatusCode.Forbidden)));
        var html = await intruder.SendAsync(PostForm(Action(spaFlow), ("csrf_token", Csrf(spaFlow)), ("method", "password"), ("password", NewPassword)));
        Assert.Equal(HttpStatusCode.SeeOther, html.StatusCode);
        Assert.StartsWith(UiBase + "/error?id=", html.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await s.Public.SendAsync(WithToken(Get($"/self-service/settings/flows?id={Guid.NewGuid()}", true), owner))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Public.SendAsync(WithToken(Get("/self-service/settings/flows?id=nope", true), owner))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Well_known_change_password_and_expired_flows(string dialect)
    {
        await using var s = await StartSettingsAsync(dialect, c => c["lifespan"] = "1ms");
        var wk = await s.Public.GetAsync("/.well-known/change-password");
        Assert.Equal(HttpStatusCode.SeeOther, wk.StatusCode);
        Assert.Equal(UiBase + "/settings", wk.Headers.Location!.ToString());

        var (token, _) = await SignUpNative(s, Email());
        var flow = await NativeSettingsFlow(s, token);
        await Task.Delay(20);
        var r = await SubmitNative(s, flow, token, new JsonObject { ["method"] = "password", ["password"] = NewPassword });
        var gone = await ExpectJson(r, HttpStatusCode.Gone);
        Assert.Equal("self_service_flow_expired", ErrorId(gone));
        Assert.NotEqual(flow["id"]!.ToString(), gone["use_flow_id"]!.ToString());
        var get = await s.Public.SendAsync(WithToken(Get($"/self-service/settings/flows?id={flow["id"]}", true), token));
        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);

        using var browser = await SignUpBrowser(s, Email());
        var spa = await SpaFlow(browser, "settings");
        await Task.Delay(20);
        var html = await browser.SendAsync(PostForm(Action(spa), ("csrf_token", Csrf(spa)), ("method", "password"), ("password", NewPassword)));
        Assert.Equal(HttpStatusCode.SeeOther, html.StatusCode);
        Assert.StartsWith(UiBase + "/settings?flow=", html.Headers.Location!.ToString());
        Assert.DoesNotContain(spa["id"]!.ToString(), html.Headers.Location!.ToString());
    }
}
