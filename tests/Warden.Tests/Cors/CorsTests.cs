using System.Net;
using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Http.Cors;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Cors;

public sealed class CorsTests
{
    private static JsonObject Cors(JsonObject cors) => new()
    {
        ["serve"] = new JsonObject { ["public"] = new JsonObject { ["cors"] = cors } },
    };

    private static JsonObject Subdomains(bool credentials = true) => Cors(new JsonObject
    {
        ["enabled"] = true,
        ["allowed_origins"] = new JsonArray("https://app.example.org", "https://*.example.net"),
        ["allow_credentials"] = credentials,
        ["max_age"] = 600,
    });

    private static HttpRequestMessage Preflight(string origin, string method = "POST", string? headers = null)
    {
        var m = new HttpRequestMessage(HttpMethod.Options, "/sessions/whoami");
        m.Headers.Add("Origin", origin);
        m.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null) m.Headers.Add("Access-Control-Request-Headers", headers);
        return m;
    }

    private static HttpRequestMessage Actual(string origin)
    {
        var m = new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami");
        m.Headers.Add("Origin", origin);
        return m;
    }

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(", ", v) : r.Content.Headers.TryGetValues(name, out var c) ? string.Join(", ", c) : null;

    [Fact]
    public async Task Off_by_default()
    {
        await using var s = await TestServer.StartAsync();
        var r = await s.Public.SendAsync(Preflight("https://app.example.org"));
        Assert.Null(Header(r, "Access-Control-Allow-Origin"));
        Assert.Null(Header(await s.Public.SendAsync(Actual("https://app.example.org")), "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_from_allowed_origins_is_answered_with_204()
    {
        await using var s = await TestServer.StartAsync(config: Subdomains());
        foreach (var origin in new[] { "https://app.example.org", "https://a.example.net", "https://deep.a.example.net" })
        {
            var r = await s.Public.SendAsync(Preflight(origin, "POST", "content-type, x-session-token"));
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
            Assert.Equal(origin, Header(r, "Access-Control-Allow-Origin"));
            Assert.Equal("true", Header(r, "Access-Control-Allow-Credentials"));
            Assert.Contains("POST", Header(r, "Access-Control-Allow-Methods")!);
            Assert.Equal("content-type, x-session-token", Header(r, "Access-Control-Allow-Headers"));
            Assert.Equal("600", Header(r, "Access-Control-Max-Age"));
            Assert.Contains("Origin", Header(r, "Vary")!);
        }
    }

    [Theory]
    [InlineData("https://example.net")]                               // wildcard admits subdomains only
    [InlineData("https://evil.com.example.org.attacker.io")]
    [InlineData("https://app.example.org.attacker.io")]
    [InlineData("https://evilexample.net")]
    [InlineData("http://app.example.org")]                             // scheme must match
    [InlineData("https://app.example.org:8443")]                       // port must match
    [InlineData("null")]
    [InlineData("https://app.example.org/path")]
    public async Task Disallowed_origins_get_no_cors_headers(string origin)
    {
        await using var s = await TestServer.StartAsync(config: Subdomains());
        var pre = await s.Public.SendAsync(Preflight(origin));
        Assert.Null(Header(pre, "Access-Control-Allow-Origin"));
        Assert.Null(Header(pre, "Access-Control-Allow-Credentials"));
        var actual = await s.Public.SendAsync(Actual(origin));
        Assert.Null(Header(actual, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Disallowed_method_or_header_fails_the_preflight()
    {
        await using var s = await TestServer.StartAsync(config: Subdomains());
        Assert.Null(Header(await s.Public.SendAsync(Preflight("https://app.example.org", "TRACE")), "Access-Control-Allow-Origin"));
        Assert.Null(Header(await s.Public.SendAsync(Preflight("https://app.example.org", "POST", "x-evil")), "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Actual_requests_keep_cors_headers_on_error_responses()
    {
        await using var s = await TestServer.StartAsync(config: Subdomains());
        var r = await s.Public.SendAsync(Actual("https://a.example.net"));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("https://a.example.net", Header(r, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(r, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", Header(r, "Vary")!);
        Assert.Contains("Content-Type", Header(r, "Access-Control-Expose-Headers")!);
    }

    [Fact]
    public async Task Star_is_never_sent_together_with_credentials()
    {
        await using (var s = await TestServer.StartAsync(config: Cors(new JsonObject { ["enabled"] = true, ["allowed_origins"] = new JsonArray("*"), ["allow_credentials"] = true })))
        {
            var r = await s.Public.SendAsync(Actual("https://anything.test"));
            Assert.Equal("https://anything.test", Header(r, "Access-Control-Allow-Origin"));
            Assert.Equal("true", Header(r, "Access-Control-Allow-Credentials"));
            Assert.Contains("Origin", Header(r, "Vary")!);
            var pre = await s.Public.SendAsync(Preflight("https://anything.test"));
            Assert.Equal("https://anything.test", Header(pre, "Access-Control-Allow-Origin"));
        }
        await using (var s = await TestServer.StartAsync(config: Cors(new JsonObject { ["enabled"] = true, ["allow_credentials"] = false })))
        {
            // allowed_origins left out: Kratos' default is every origin.
            var r = await s.Public.SendAsync(Actual("https://anything.test"));
            Assert.Equal("*", Header(r, "Access-Control-Allow-Origin"));
            Assert.Null(Header(r, "Access-Control-Allow-Credentials"));
        }
    }

    [Theory]
    [InlineData("https://*.*.example.org")]
    [InlineData("https://foo*.example.org")]
    [InlineData("https://app.example.org/path")]
    [InlineData("ftp://app.example.org")]
    public void Invalid_origin_entries_stop_startup(string entry)
    {
        var config = new WardenConfig(Cors(new JsonObject { ["enabled"] = true, ["allowed_origins"] = new JsonArray(entry) }));
        var e = Assert.Throws<ConfigException>(() => CorsPolicy.From(config));
        Assert.Equal("serve.public.cors.allowed_origins", e.Key);
    }

    [Fact]
    public void Wildcard_matching_is_by_components()
    {
        var p = OriginPattern.Parse("https://*.example.org");
        bool M(string o) => ParsedOrigin.TryParse(o, out var parsed) && p.Matches(parsed);
        Assert.True(M("https://a.example.org"));
        Assert.True(M("https://A.Example.ORG"));
        Assert.True(M("https://a.b.example.org:443"));
        Assert.False(M("https://example.org"));
        Assert.False(M("https://evil.com.example.org.attacker.io"));
        Assert.False(M("https://aexample.org"));
        Assert.False(M("http://a.example.org"));
        Assert.False(M("https://a.example.org:444"));
        Assert.False(M("https://user@a.example.org"));
    }
}
