using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.SelfService;

/// <summary>Browser clients: server-rendered (HTML, redirects) and SPAs (JSON with cookies), with CSRF.</summary>
public sealed class BrowserFlowTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Html_init_redirects_to_the_ui_with_csrf_cookie(string dialect)
    {
        await using var s = await StartAsync(dialect);
        foreach (var kind in new[] { "login", "registration" })
        {
            var r = await s.Public.SendAsync(Get($"/self-service/{kind}/browser", json: false));
            Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
            Assert.StartsWith($"{UiBase}/{kind}?flow=", r.Headers.Location!.ToString());
            Assert.Contains("no-store", r.Headers.CacheControl!.ToString());
            var cookie = SetCookie(r, "csrf_token_");
            Assert.NotNull(cookie);
            Assert.Contains("httponly", cookie!.ToLowerInvariant());
            Assert.Contains("samesite=lax", cookie.ToLowerInvariant());
            Assert.DoesNotContain("secure", cookie.ToLowerInvariant()); // --dev in tests
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Spa_registration_and_login_with_cookies(string dialect)
    {
        await using var s = await StartAsync(dialect);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "registration");
        Assert.Equal("browser", flow["type"]!.GetValue<string>());
        Assert.Equal(s.Host.Urls.PublicUrl($"self-service/registration?flow={flow["id"]}"), Action(flow));
        var email = Email();
        // Seed: JSON body in form format, with a boolean trait as a string and a dotted transient payload.
        var r = await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "password", ["csrf_token"] = Csrf(flow), ["traits.email"] = email, ["password"] = Password,
            ["traits.tos"] = "true", ["transient_payload.consents"] = "newsletter,usage_stats",
        }));
        var reg = await ExpectJson(r, HttpStatusCode.OK);
        Assert.True(reg["identity"]!["traits"]!["tos"]!.GetValue<bool>());
        Assert.Null(reg["session_token"]);
        Assert.NotNull(SetCookie(r, "ory_kratos_session"));
        Assert.Contains("no-store", r.Headers.CacheControl!.ToString());

        // A fresh browser signs in as an SPA.
        using var other = s.BrowserClient();
        var login = await SpaFlow(other, "login");
        var lr = await other.SendAsync(PostJson(Action(login), new JsonObject
        {
            ["method"] = "password", ["csrf_token"] = Csrf(login), ["identifier"] = email, ["password"] = Password,
        }));
        var ok = await ExpectJson(lr, HttpStatusCode.OK);
        Assert.Null(ok["session_token"]);
        Assert.NotNull(ok["session"]);
        Assert.NotNull(SetCookie(lr, "ory_kratos_session"));
        // The cookie is a session: whoami accepts it, and a second login is refused.
        await ExpectJson(await other.GetAsync("/sessions/whoami"), HttpStatusCode.OK);
        var again = await other.SendAsync(Get("/self-service/login/browser", json: true));
        Assert.Equal("session_already_available", (await ExpectJson(again, HttpStatusCode.BadRequest))["error"]!["id"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Html_form_login_redirects_to_return_url_and_errors_back_to_the_form(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        await RegisterNative(s, email);
        using var browser = s.BrowserClient();
        var init = await browser.SendAsync(Get("/self-service/login/browser?return_to=" + Uri.EscapeDataString(UiBase + "/dashboard/home"), json: false));
        var flowId = init.Headers.Location!.ToString().Split("flow=")[1];
        var flow = await ExpectJson(await browser.GetAsync($"/self-service/login/flows?id={flowId}"), HttpStatusCode.OK);
        Assert.Equal(UiBase + "/dashboard/home", flow["return_to"]!.GetValue<string>());

        var bad = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", Csrf(flow)), ("identifier", email), ("password", "nope-nope-nope"), ("method", "password")));
        Assert.Equal(HttpStatusCode.SeeOther, bad.StatusCode);
        Assert.Equal($"{UiBase}/login?flow={flowId}", bad.Headers.Location!.ToString());
        var shown = await ExpectJson(await browser.GetAsync($"/self-service/login/flows?id={flowId}"), HttpStatusCode.OK);
        Assert.Equal([4000006], FlowMessageIds(shown));
        Assert.NotEqual(Csrf(flow), Csrf(shown)); // masked afresh on every render

        var good = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", Csrf(shown)), ("identifier", email), ("password", Password), ("method", "password")));
        Assert.Equal(HttpStatusCode.SeeOther, good.StatusCode);
        Assert.Equal(UiBase + "/dashboard/home", good.Headers.Location!.ToString());
        Assert.NotNull(SetCookie(good, "ory_kratos_session"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Csrf_violations(string dialect)
    {
        await using var s = await StartAsync(dialect);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "login");
        // SPA without a token: 403 JSON.
        var spa = await browser.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "password", ["identifier"] = "a@b.c", ["password"] = "x" }));
        Assert.Equal("security_csrf_violation", (await ExpectJson(spa, HttpStatusCode.Forbidden))["error"]!["id"]!.GetValue<string>());
        // HTML form with a token from another browser: redirected to the error UI; the error is stored.
        using var other = s.BrowserClient();
        var foreign = Csrf(await SpaFlow(other, "login"));
        var html = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", foreign), ("identifier", "a@b.c"), ("password", "x"), ("method", "password")));
        Assert.Equal(HttpStatusCode.SeeOther, html.StatusCode);
        var location = html.Headers.Location!.ToString();
        Assert.StartsWith(UiBase + "/error?id=", location);
        var stored = await ExpectJson(await s.Public.GetAsync("/self-service/errors?id=" + location.Split("id=")[1]), HttpStatusCode.OK);
        Assert.Equal("security_csrf_violation", stored["error"]!["id"]!.GetValue<string>());
        Assert.Equal(403, stored["error"]!["code"]!.GetValue<int>());
        // Another browser may not read this browser's flow.
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/self-service/login/flows?id={flow["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Public.GetAsync($"/self-service/errors?id={Guid.NewGuid()}")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Return_to_outside_the_allow_list_is_refused(string dialect)
    {
        await using var s = await StartAsync(dialect);
        using var browser = s.BrowserClient();
        foreach (var bad in new[] { UiBase + "/dashboard-evil", "https://example.org/", "https://evil.com/", "//evil.com/x" })
        {
            var r = await browser.SendAsync(Get("/self-service/login/browser?return_to=" + Uri.EscapeDataString(bad), json: true));
            Assert.Equal("self_service_flow_return_to_forbidden", (await ExpectJson(r, HttpStatusCode.BadRequest))["error"]!["id"]!.GetValue<string>());
        }
        var html = await browser.SendAsync(Get("/self-service/registration/browser?return_to=https://evil.com/", json: false));
        Assert.StartsWith(UiBase + "/error?id=", html.Headers.Location!.ToString());
        var ok = await SpaFlow(browser, "login", "?return_to=" + Uri.EscapeDataString("https://app.example.org/x"));
        Assert.Equal("https://app.example.org/x", ok["return_to"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Expired_browser_flow_redirects_html_to_a_new_flow(string dialect)
    {
        await using var s = await StartAsync(dialect, tweak: c => c["selfservice"]!["flows"]!["registration"]!["lifespan"] = "1ms");
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "registration");
        await Task.Delay(20);
        var r = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", Csrf(flow)), ("traits.email", Email()), ("password", Password), ("method", "password")));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        var location = r.Headers.Location!.ToString();
        Assert.StartsWith(UiBase + "/registration?flow=", location);
        Assert.DoesNotContain(flow["id"]!.GetValue<string>(), location);
        var spa = await browser.SendAsync(PostJson(Action(flow), new JsonObject { ["csrf_token"] = Csrf(flow), ["method"] = "password" }));
        Assert.NotNull((await ExpectJson(spa, HttpStatusCode.Gone))["use_flow_id"]);
    }
}
