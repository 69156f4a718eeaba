using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Tests.Sessions;
using Xunit;
using static Warden.Tests.Sessions.SessionHttp;

namespace Warden.Tests.Logout;

public sealed class LogoutTests
{
    private static JsonObject AllowedReturn => new()
    {
        ["selfservice"] = new JsonObject
        {
            ["allowed_return_urls"] = new JsonArray("https://app.example.org/dashboard", "https://*.example.com/"),
            ["flows"] = new JsonObject { ["logout"] = new JsonObject { ["after"] = new JsonObject { ["default_browser_return_url"] = "https://app.example.org/bye" } } },
        },
    };

    [Fact]
    public async Task Browser_logout_flow_needs_a_session()
    {
        await using var h = await StartAsync();
        var r = await h.Public.SendAsync(Get("/self-service/logout/browser"));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("session_inactive", (await JsonAsync(r))["error"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Browser_logout_redirects_clears_the_cookie_and_ends_the_session()
    {
        await using var h = await StartAsync(AllowedReturn);
        var (_, session) = await h.SignInAsync();
        var cookie = h.CookieFor(session);

        var init = await h.Public.SendAsync(Get("/self-service/logout/browser", cookie: cookie, accept: "application/json"));
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        var flow = await JsonAsync(init);
        var token = flow["logout_token"]!.GetValue<string>();
        Assert.Matches("^ory_lo_[A-Za-z0-9]{32}$", token);
        var url = flow["logout_url"]!.GetValue<string>();
        Assert.Equal(h.Server.Host.Urls.PublicUrl("/self-service/logout") + "?token=" + token, url);
        // Stable per session: a second tab gets the same URL.
        var again = await JsonAsync(await h.Public.SendAsync(Get("/self-service/logout/browser", cookie: cookie)));
        Assert.Equal(url, again["logout_url"]!.GetValue<string>());

        var logout = await h.Public.SendAsync(Get(url, cookie: cookie, accept: "text/html"));
        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        Assert.Equal("https://app.example.org/bye", logout.Headers.Location!.ToString());
        var cleared = logout.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ory_kratos_session=", StringComparison.Ordinal));
        Assert.StartsWith("ory_kratos_session=;", cleared);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", cookie: cookie))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
    }

    [Fact]
    public async Task Return_to_is_carried_when_allowed_and_refused_otherwise()
    {
        await using var h = await StartAsync(AllowedReturn);
        var (_, session) = await h.SignInAsync();
        var cookie = h.CookieFor(session);

        var ok = await JsonAsync(await h.Public.SendAsync(Get("/self-service/logout/browser?return_to=" + Uri.EscapeDataString("https://shop.example.com/cart"), cookie: cookie)));
        var url = ok["logout_url"]!.GetValue<string>();
        Assert.Contains("&return_to=" + Uri.EscapeDataString("https://shop.example.com/cart"), url);

        foreach (var bad in new[] { "https://evil.org/", "https://app.example.org/dashboard-evil", "https://example.com.evil.org/" })
        {
            var r = await h.Public.SendAsync(Get("/self-service/logout/browser?return_to=" + Uri.EscapeDataString(bad), cookie: cookie));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("self_service_flow_return_to_forbidden", (await JsonAsync(r))["error"]!["id"]!.GetValue<string>());
        }
        // A forged return_to on the logout URL itself is refused before the session ends: JSON callers get the
        // 400, browsers are sent to the error UI with the stored error.
        var forgedUrl = url.Split('&')[0] + "&return_to=" + Uri.EscapeDataString("https://evil.org/");
        var forgedJson = await h.Public.SendAsync(Get(forgedUrl, cookie: cookie, accept: "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, forgedJson.StatusCode);
        Assert.Equal("self_service_flow_return_to_forbidden", (await JsonAsync(forgedJson))["error"]!["id"]!.GetValue<string>());
        var forgedHtml = await h.Public.SendAsync(Get(forgedUrl, cookie: cookie, accept: "text/html"));
        Assert.Equal(HttpStatusCode.SeeOther, forgedHtml.StatusCode);
        var errorId = System.Web.HttpUtility.ParseQueryString(forgedHtml.Headers.Location!.Query)["id"];
        var stored = await JsonAsync(await h.Public.SendAsync(Get("/self-service/errors?id=" + errorId)));
        Assert.Equal("self_service_flow_return_to_forbidden", stored["error"]!["id"]!.GetValue<string>());
        Assert.DoesNotContain(forgedHtml.Headers.TryGetValues("Set-Cookie", out var sc) ? sc : [], c => c.StartsWith("ory_kratos_session=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", cookie: cookie))).StatusCode);

        var done = await h.Public.SendAsync(Get(url, cookie: cookie));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Equal("https://shop.example.com/cart", done.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Json_logout_answers_204()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync();
        var cookie = h.CookieFor(session);
        var token = (await JsonAsync(await h.Public.SendAsync(Get("/self-service/logout/browser", cookie: cookie))))["logout_token"]!.GetValue<string>();

        var r = await h.Public.SendAsync(Get("/self-service/logout?token=" + token, cookie: cookie, accept: "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        Assert.Contains(r.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ory_kratos_session=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", cookie: cookie))).StatusCode);
    }

    [Fact]
    public async Task Wrong_or_missing_logout_token_is_refused_and_the_session_survives()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync();
        var (_, other) = await h.SignInAsync(email: "mallory@example.org");
        var cookie = h.CookieFor(session);
        var othersToken = (await JsonAsync(await h.Public.SendAsync(Get("/self-service/logout/browser", cookie: h.CookieFor(other)))))["logout_token"]!.GetValue<string>();

        var wrong = await h.Public.SendAsync(Get("/self-service/logout?token=" + othersToken, cookie: cookie, accept: "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var missing = await h.Public.SendAsync(Get("/self-service/logout", cookie: cookie, accept: "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", cookie: cookie))).StatusCode);
    }

    [Fact]
    public async Task Native_logout_revokes_the_token()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await NativeLogout(h, $"{{\"session_token\":\"{session.Token}\"}}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
        // Already revoked: still 204, as Kratos documents.
        Assert.Equal(HttpStatusCode.NoContent, (await NativeLogout(h, $"{{\"session_token\":\"{session.Token}\"}}")).StatusCode);

        var unknown = await NativeLogout(h, $"{{\"session_token\":\"ory_st_{new string('q', 32)}\"}}");
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(403, (await JsonAsync(unknown))["error"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await NativeLogout(h, "{\"session_token\":\"nonsense\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await NativeLogout(h, "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await NativeLogout(h, "{\"session_token\":42}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await NativeLogout(h, "not json")).StatusCode);
    }

    private static Task<HttpResponseMessage> NativeLogout(SessionHttp h, string body) =>
        h.Public.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/self-service/logout/api")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });

    [Theory]
    [InlineData("logout")]
    [InlineData("global")]
    [InlineData("none")]
    public async Task Logout_falls_back_to_the_same_default_return_url_as_login(string configured)
    {
        var root = new JsonObject
        {
            ["secrets"] = new JsonObject { ["default"] = new JsonArray(DefaultSecret), ["cookie"] = new JsonArray(CookieSecret) },
        };
        if (configured == "global") root["selfservice"] = new JsonObject { ["default_browser_return_url"] = "https://app.example.org/home" };
        if (configured == "logout")
            root["selfservice"] = new JsonObject
            {
                ["default_browser_return_url"] = "https://app.example.org/home",
                ["flows"] = new JsonObject { ["logout"] = new JsonObject { ["after"] = new JsonObject { ["default_browser_return_url"] = "https://app.example.org/bye" } } },
            };
        await using var server = await Warden.Tests.Support.TestServer.StartAsync("sqlite", root);
        var identity = await SessionTestData.InsertIdentityAsync(server.Service<Warden.Persistence.Database>());
        var sessions = server.Service<Warden.Sessions.SessionManager>();
        var session = await sessions.IssueAsync(identity, [SessionTestData.Password], SessionTestData.Device);
        var cookie = SessionTestData.WrittenCookie(sessions, session).Pair;

        var flow = await JsonAsync(await server.Public.SendAsync(Get("/self-service/logout/browser", cookie: cookie)));
        var done = await server.Public.SendAsync(Get(flow["logout_url"]!.GetValue<string>(), cookie: cookie, accept: "text/html"));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        var expected = configured switch
        {
            "logout" => "https://app.example.org/bye",
            "global" => "https://app.example.org/home",
            _ => server.Service<Warden.SelfService.SelfServiceUrls>().DefaultReturnUrl,
        };
        Assert.Equal(expected, done.Headers.Location!.ToString());
        Assert.NotEqual(server.Host.Urls.Public.ToString(), done.Headers.Location!.ToString());
    }
}
