using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Warden.Config;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.WebUi;

/// <summary>The /ui/ pages over HTTP: redirects to start flows, rendering, headers, assets, errors.</summary>
public sealed class PagesHttpTests
{
    private static HttpRequestMessage Html(string url)
    {
        var m = new HttpRequestMessage(HttpMethod.Get, url);
        m.Headers.Accept.ParseAdd("text/html");
        return m;
    }

    [Fact]
    public async Task Root_and_pages_without_flow_start_a_flow()
    {
        await using var s = await TestServer.StartAsync();
        var root = await s.Public.SendAsync(Html("/"));
        Assert.Equal(HttpStatusCode.SeeOther, root.StatusCode);
        Assert.Equal("/ui/login", root.Headers.Location!.ToString());
        foreach (var type in new[] { "login", "registration" })
        {
            var r = await s.Public.SendAsync(Html($"/ui/{type}?return_to=http%3A%2F%2F127.0.0.1%2Fx&refresh=true"));
            Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
            Assert.Equal($"/self-service/{type}/browser?return_to=http%3A%2F%2F127.0.0.1%2Fx&refresh=true", r.Headers.Location!.ToString());
        }
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    public async Task Unknown_flow_restarts_the_flow(string id)
    {
        await using var s = await TestServer.StartAsync();
        var r = await s.Public.SendAsync(Html($"/ui/login?flow={id}"));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        Assert.Equal("/self-service/login/browser", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Flow_page_renders_the_flow_with_strict_headers()
    {
        await using var s = await TestServer.StartAsync();
        using var browser = s.BrowserClient(followRedirects: true);
        var r = await browser.SendAsync(Html("/ui/registration"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Matches(new Regex(@"/ui/registration\?flow=[0-9a-f-]{36}$"), r.RequestMessage!.RequestUri!.ToString());
        var html = await r.Content.ReadAsStringAsync();
        var csp = r.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("no-store", r.Headers.CacheControl!.ToString());
        Assert.Equal("text/html", r.Content.Headers.ContentType!.MediaType);
        // The form posts to the flow's action, with the CSRF token, and the page has no inline code.
        Assert.Matches(new Regex("<form action=\"http://127\\.0\\.0\\.1:\\d+/self-service/registration\\?flow=[0-9a-f-]{36}\" method=\"post\""), html);
        Assert.Contains("name=\"csrf_token\"", html);
        Assert.Contains("<label for=\"traits-email\">", html);
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain(" style=", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain(" on", Regex.Replace(html, "\"[^\"]*\"", "\"\""));
    }

    [Fact]
    public async Task Stylesheet_is_immutable_and_revalidates_by_etag()
    {
        await using var s = await TestServer.StartAsync();
        using var browser = s.BrowserClient(followRedirects: true);
        var html = await (await browser.SendAsync(Html("/ui/login"))).Content.ReadAsStringAsync();
        var href = Regex.Match(html, "href=\"(/ui/assets/warden\\.[0-9a-f]{16}\\.css)\"").Groups[1].Value;
        Assert.NotEmpty(href);
        var css = await s.Public.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", css.Headers.CacheControl!.ToString());
        var again = new HttpRequestMessage(HttpMethod.Get, href);
        again.Headers.IfNoneMatch.Add(css.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await s.Public.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Public.GetAsync("/ui/assets/warden.0000000000000000.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Public.GetAsync("/ui/assets/..%2F..%2Fetc%2Fpasswd")).StatusCode);
    }

    [Fact]
    public async Task Error_page_shows_stored_errors_and_a_missing_one_as_404()
    {
        await using var s = await TestServer.StartAsync();
        var stub = await s.Public.SendAsync(Html("/ui/error?id=stub:500"));
        Assert.Equal(HttpStatusCode.OK, stub.StatusCode);
        Assert.Contains("This is a stub error.", await stub.Content.ReadAsStringAsync());
        var missing = await s.Public.SendAsync(Html($"/ui/error?id={Guid.NewGuid()}"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var none = await s.Public.SendAsync(Html("/ui/error"));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task Csrf_failure_lands_on_the_error_page()
    {
        await using var s = await TestServer.StartAsync();
        // A CSRF failure stores an error and sends the browser to the error page.
        using var browser = s.BrowserClient();
        var init = await browser.SendAsync(Html("/self-service/login/browser"));
        var flowUrl = init.Headers.Location!.ToString();
        var id = flowUrl[(flowUrl.IndexOf("flow=", StringComparison.Ordinal) + 5)..];
        var post = new HttpRequestMessage(HttpMethod.Post, $"/self-service/login?flow={id}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["method"] = "password", ["identifier"] = "<script>x</script>" }),
        };
        post.Headers.Accept.ParseAdd("text/html");
        var r = await browser.SendAsync(post);
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        var page = await browser.SendAsync(Html(r.Headers.Location!.PathAndQuery));
        var html = await page.Content.ReadAsStringAsync();
        Assert.StartsWith("/ui/error?id=", r.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("anti-CSRF", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public async Task Welcome_without_session_goes_to_login_and_unknown_pages_are_404()
    {
        await using var s = await TestServer.StartAsync();
        var r = await s.Public.SendAsync(Html("/ui/welcome"));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        Assert.Equal("/ui/login", r.Headers.Location!.ToString());
        var nf = await s.Public.SendAsync(Html("/ui/nothing-here"));
        Assert.Equal(HttpStatusCode.NotFound, nf.StatusCode);
        Assert.Contains("<h1>Page not found</h1>", await nf.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Revoke_without_csrf_token_changes_nothing()
    {
        await using var s = await TestServer.StartAsync();
        var post = new HttpRequestMessage(HttpMethod.Post, "/ui/welcome/sessions/revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["session_id"] = Guid.NewGuid().ToString() }),
        };
        var r = await s.Public.SendAsync(post);
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        Assert.Equal("/ui/welcome?revoked=0", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Branding_applies_and_bad_branding_stops_startup()
    {
        var ui = new JsonObject { ["warden"] = new JsonObject { ["ui"] = new JsonObject
        {
            ["product_name"] = "Acme <ID>", ["logo_url"] = "https://cdn.acme.test/logo.svg", ["primary_color"] = "#0a7",
        } } };
        await using (var s = await TestServer.StartAsync(config: ui))
        {
            using var browser = s.BrowserClient(followRedirects: true);
            var r = await browser.SendAsync(Html("/ui/login"));
            var html = await r.Content.ReadAsStringAsync();
            Assert.Contains("<title>Sign in &#183; Acme &lt;ID&gt;</title>", html);
            Assert.Contains("src=\"https://cdn.acme.test/logo.svg\"", html);
            Assert.Contains("img-src 'self' data: https://cdn.acme.test", r.Headers.GetValues("Content-Security-Policy").Single());
        }
        var bad = new JsonObject { ["warden"] = new JsonObject { ["ui"] = new JsonObject { ["primary_color"] = "blue" } } };
        var e = await Assert.ThrowsAsync<ConfigException>(() => TestServer.StartAsync(config: bad));
        Assert.Contains("warden.ui.primary_color", e.Message);
    }

    [Fact]
    public async Task Expired_flow_restarts_keeping_return_to()
    {
        var config = new JsonObject { ["selfservice"] = new JsonObject { ["flows"] = new JsonObject
        {
            ["login"] = new JsonObject { ["lifespan"] = "1ms" },
        } } };
        await using var s = await TestServer.StartAsync(config: config);
        using var browser = s.BrowserClient();
        var target = s.Host.Urls.PublicUrl("ui/welcome");
        var init = await browser.SendAsync(Html("/self-service/login/browser?return_to=" + Uri.EscapeDataString(target)));
        Assert.Equal(HttpStatusCode.SeeOther, init.StatusCode);
        await Task.Delay(20); // only ever makes the flow more expired
        var page = await browser.SendAsync(Html(init.Headers.Location!.PathAndQuery));
        Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
        Assert.Equal("/self-service/login/browser?return_to=" + Uri.EscapeDataString(target), page.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Own_ui_urls_are_honoured_and_the_builtin_pages_still_render()
    {
        var config = new JsonObject { ["selfservice"] = new JsonObject { ["flows"] = new JsonObject
        {
            ["login"] = new JsonObject { ["ui_url"] = "https://app.example.test/sign-in" },
        } } };
        await using var s = await TestServer.StartAsync(config: config);
        using var browser = s.BrowserClient();
        var init = await browser.SendAsync(Html("/self-service/login/browser"));
        var location = init.Headers.Location!.ToString();
        Assert.StartsWith("https://app.example.test/sign-in?flow=", location);
        var id = location[(location.IndexOf("flow=", StringComparison.Ordinal) + 5)..];
        var page = await browser.SendAsync(Html($"/ui/login?flow={id}"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"password\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unsupported_language_falls_back_to_english()
    {
        await using var s = await TestServer.StartAsync();
        using var browser = s.BrowserClient(followRedirects: true);
        var m = Html("/ui/login");
        m.Headers.AcceptLanguage.ParseAdd("tlh-KX, tlh;q=0.9");
        var html = await (await browser.SendAsync(m)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("<h1>Sign in</h1>", html);
    }
}
