using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Config;
using Warden.Sessions;
using Xunit;

namespace Warden.Tests.Sessions;

public sealed class SessionPrimitivesTests
{
    private static readonly byte[] KeyA = Enumerable.Repeat((byte)1, 32).ToArray();
    private static readonly byte[] KeyB = Enumerable.Repeat((byte)2, 32).ToArray();

    [Fact]
    public void Tokens_have_the_kratos_shape_and_differ()
    {
        var tokens = Enumerable.Range(0, 50).Select(_ => SessionTokens.NewSessionToken()).ToList();
        Assert.All(tokens, t => Assert.Matches("^ory_st_[A-Za-z0-9]{32}$", t));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        Assert.False(SessionTokens.LooksLikeSessionToken("ory_st_" + new string('-', 32)));
        Assert.False(SessionTokens.LooksLikeSessionToken("ory_lo_" + new string('a', 32)));
        Assert.False(SessionTokens.LooksLikeSessionToken(null));
    }

    [Fact]
    public void Logout_token_is_stable_per_session_and_key()
    {
        var id = Guid.NewGuid();
        var token = SessionTokens.LogoutToken(KeyA, id);
        Assert.Matches("^ory_lo_[A-Za-z0-9]{32}$", token);
        Assert.Equal(token, SessionTokens.LogoutToken(KeyA, id));
        Assert.NotEqual(token, SessionTokens.LogoutToken(KeyA, Guid.NewGuid()));
        Assert.True(SessionTokens.IsLogoutTokenOf([KeyB, KeyA], id, token));
        Assert.False(SessionTokens.IsLogoutTokenOf([KeyB], id, token));
        Assert.False(SessionTokens.IsLogoutTokenOf([KeyA], Guid.NewGuid(), token));
    }

    [Fact]
    public void Sealed_cookie_opens_under_any_accepted_key_and_rejects_tampering()
    {
        var sealedValue = CookieSealer.Seal(KeyA, "ory_kratos_session", "ory_st_abc");
        Assert.DoesNotContain("ory_st_", sealedValue);
        Assert.Equal("ory_st_abc", CookieSealer.Open([KeyB, KeyA], "ory_kratos_session", sealedValue));
        Assert.Null(CookieSealer.Open([KeyB], "ory_kratos_session", sealedValue));
        // Bound to the cookie name.
        Assert.Null(CookieSealer.Open([KeyA], "other_cookie", sealedValue));
        // Every single-character change fails authentication or decoding.
        for (var i = 0; i < sealedValue.Length; i++)
        {
            var chars = sealedValue.ToCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            Assert.Null(CookieSealer.Open([KeyA], "ory_kratos_session", new string(chars)));
        }
        Assert.Null(CookieSealer.Open([KeyA], "ory_kratos_session", "!!not base64!!"));
        Assert.Null(CookieSealer.Open([KeyA], "ory_kratos_session", ""));
        Assert.Null(CookieSealer.Open([KeyA], "ory_kratos_session", new string('A', 5000)));
    }

    [Fact]
    public void Forwarded_for_is_believed_only_from_trusted_proxies()
    {
        IpRange.TryParse("10.0.0.0/8", out var proxies);
        var trusted = new[] { proxies };
        var client = IPAddress.Parse("198.51.100.9");
        // Direct client: its header is ignored.
        Assert.Equal(client, DeviceResolver.ClientIp(client, ["1.2.3.4"], trusted));
        // Through a trusted proxy: the rightmost untrusted hop is the client; spoofed left entries are ignored.
        Assert.Equal(client, DeviceResolver.ClientIp(IPAddress.Parse("10.1.2.3"), ["6.6.6.6, 198.51.100.9, 10.9.9.9"], trusted));
        Assert.Equal(client, DeviceResolver.ClientIp(IPAddress.Parse("::ffff:10.1.2.3"), ["198.51.100.9:5555"], trusted));
        // No proxies configured: the header never counts.
        Assert.Equal(IPAddress.Parse("10.1.2.3"), DeviceResolver.ClientIp(IPAddress.Parse("10.1.2.3"), ["198.51.100.9"], []));
        // Garbage in the chain stops at the last good hop.
        Assert.Equal(IPAddress.Parse("10.1.2.3"), DeviceResolver.ClientIp(IPAddress.Parse("10.1.2.3"), ["nonsense"], trusted));
    }

    [Fact]
    public void Options_read_kratos_keys_with_fallbacks()
    {
        var config = new WardenConfig(new JsonObject
        {
            ["session"] = new JsonObject { ["lifespan"] = "1h30m", ["cookie"] = new JsonObject { ["name"] = "my_session", ["persistent"] = false } },
            ["cookies"] = new JsonObject { ["domain"] = "example.org", ["path"] = "/auth", ["same_site"] = "Strict" },
            ["serve"] = new JsonObject { ["public"] = new JsonObject { ["trusted_proxies"] = new JsonArray("127.0.0.1", "10.0.0.0/8") } },
        }, dev: true);
        var o = SessionOptions.From(config);
        Assert.Equal(TimeSpan.FromMinutes(90), o.Lifespan);
        Assert.Equal("my_session", o.CookieName);
        Assert.Equal("example.org", o.CookieDomain);
        Assert.Equal("/auth", o.CookiePath);
        Assert.Equal(SameSiteMode.Strict, o.CookieSameSite);
        Assert.False(o.CookiePersistent);
        Assert.False(o.CookieSecure);
        Assert.Equal(2, o.TrustedProxies.Count);

        var defaults = SessionOptions.From(new WardenConfig(new JsonObject()));
        Assert.Equal(TimeSpan.FromHours(24), defaults.Lifespan);
        Assert.Equal("ory_kratos_session", defaults.CookieName);
        Assert.Equal(SameSiteMode.Lax, defaults.CookieSameSite);
        Assert.True(defaults.CookieSecure);
        Assert.Equal("highest_available", defaults.WhoamiRequiredAal);
    }

    [Theory]
    [InlineData(true, null, null, null, true)]             // --dev relaxes Secure
    [InlineData(false, null, null, null, false)]
    [InlineData(true, "true", null, null, false)]          // explicit true wins over --dev
    [InlineData(false, null, "false", null, true)]         // explicit false (as a string) is honoured
    [InlineData(false, "false", "true", null, true)]       // session.cookie.secure wins over cookies.secure
    [InlineData(false, "false", null, "None", false)]      // SameSite=None is always Secure
    public void Secure_flag_follows_dev_and_explicit_settings(bool dev, string? sessionSecure, string? cookiesSecure, string? sameSite, bool expectInsecure)
    {
        var cookie = new JsonObject();
        if (sessionSecure is not null) cookie["secure"] = sessionSecure == "true";
        if (sameSite is not null) cookie["same_site"] = sameSite;
        var root = new JsonObject { ["session"] = new JsonObject { ["cookie"] = cookie } };
        if (cookiesSecure is not null) root["cookies"] = new JsonObject { ["secure"] = cookiesSecure };
        Assert.Equal(!expectInsecure, SessionOptions.From(new WardenConfig(root, dev)).CookieSecure);
    }

    [Theory]
    [InlineData("session", "{\"cookie\":{\"secure\":\"maybe\"}}", "session.cookie.secure")]
    [InlineData("session", "{\"cookie\":{\"same_site\":\"Sometimes\"}}", "session.cookie.same_site")]
    [InlineData("session", "{\"whoami\":{\"required_aal\":\"aal9\"}}", "session.whoami.required_aal")]
    [InlineData("secrets", "{\"default\":[\"short\"]}", "secrets.default")]
    [InlineData("serve", "{\"public\":{\"trusted_proxies\":[\"not-an-ip\"]}}", "serve.public.trusted_proxies")]
    public void Bad_values_stop_startup_naming_the_key(string section, string json, string key)
    {
        var config = new WardenConfig(new JsonObject { [section] = JsonNode.Parse(json) });
        var e = Assert.Throws<ConfigException>(() => new SessionsFeature().AddServices(new Microsoft.Extensions.DependencyInjection.ServiceCollection(), config));
        Assert.Equal(key, e.Key);
    }
}
