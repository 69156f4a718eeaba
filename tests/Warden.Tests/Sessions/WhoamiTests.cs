using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Sessions.SessionHttp;

namespace Warden.Tests.Sessions;

public sealed class WhoamiTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Session_token_header_returns_the_session_json(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (identity, session) = await h.SignInAsync();

        var r = await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(identity.Id.ToString(), r.Headers.GetValues("X-Kratos-Authenticated-Identity-Id").Single());
        var cache = r.Headers.CacheControl!;
        Assert.True(cache.Private && cache.NoCache && cache.NoStore && cache.MustRevalidate, cache.ToString());
        var json = await JsonAsync(r);
        Assert.Equal(["id", "active", "expires_at", "authenticated_at", "authenticator_assurance_level", "authentication_methods", "issued_at", "identity", "devices"],
            json.Select(p => p.Key).ToArray());
        Assert.Equal(session.Id.ToString(), json["id"]!.GetValue<string>());
        Assert.True(json["active"]!.GetValue<bool>());
        Assert.Equal("aal1", json["authenticator_assurance_level"]!.GetValue<string>());
        var method = json["authentication_methods"]!.AsArray().Single()!.AsObject();
        Assert.Equal(["method", "aal", "completed_at"], method.Select(p => p.Key).ToArray());
        Assert.Equal("password", method["method"]!.GetValue<string>());
        var device = json["devices"]!.AsArray().Single()!.AsObject();
        Assert.Equal(["id", "ip_address", "user_agent", "location"], device.Select(p => p.Key).ToArray());
        Assert.Equal("203.0.113.7", device["ip_address"]!.GetValue<string>());
        var who = json["identity"]!.AsObject();
        Assert.Equal(identity.Id.ToString(), who["id"]!.GetValue<string>());
        Assert.Equal("alice@example.org", who["traits"]!["email"]!.GetValue<string>());
        Assert.False(who.ContainsKey("credentials"));
        Assert.False(who.ContainsKey("metadata_admin"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", json["expires_at"]!.GetValue<string>());
        // The issuing response and later reads render identically.
        Assert.Equal(h.Sessions.ToJson(session)["expires_at"]!.ToJsonString(), json["expires_at"]!.ToJsonString());

        if (Shared.Available) AssertMatchesApiSchema(json);
    }

    [Fact]
    public async Task Bearer_and_cookie_work_and_the_first_credential_present_wins()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync();

        var bearer = Get("/sessions/whoami");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", cookie: h.CookieFor(session)))).StatusCode);
        // An invalid header token is not rescued by a valid cookie (no silent fallback).
        var both = Get("/sessions/whoami", token: "ory_st_" + new string('x', 32), cookie: h.CookieFor(session));
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(both)).StatusCode);
    }

    [Fact]
    public async Task No_or_bad_credentials_give_401_session_inactive()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync();
        var cookie = h.CookieFor(session);
        var value = cookie[(cookie.IndexOf('=') + 1)..];
        var tampered = cookie[..(cookie.IndexOf('=') + 1)] + (value[5] == 'A' ? value[..5] + "B" + value[6..] : value[..5] + "A" + value[6..]);

        foreach (var request in new[]
                 {
                     Get("/sessions/whoami"),
                     Get("/sessions/whoami", token: "garbage"),
                     Get("/sessions/whoami", token: "ory_st_" + new string('a', 32)),
                     Get("/sessions/whoami", cookie: tampered),
                     Get("/sessions/whoami", cookie: "ory_kratos_session=" + session.Token),
                 })
        {
            var r = await h.Public.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            var error = (await JsonAsync(r))["error"]!.AsObject();
            Assert.Equal("session_inactive", error["id"]!.GetValue<string>());
            Assert.Equal(401, error["code"]!.GetValue<int>());
            Assert.Equal("Unauthorized", error["status"]!.GetValue<string>());
            Assert.False(r.Headers.Contains("X-Kratos-Authenticated-Identity-Id"));
        }
    }

    [Fact]
    public async Task Cookie_sealed_with_a_rotated_out_secret_still_opens()
    {
        const string newCookieSecret = "cookie-secret-NEW-0123456789";
        await using var h = await StartAsync(new JsonObject
        {
            ["secrets"] = new JsonObject { ["cookie"] = new JsonArray(newCookieSecret, CookieSecret) },
        });
        var (_, session) = await h.SignInAsync();
        // A manager that only knows the old secret stands in for the server before the rotation.
        var old = SessionTestData.Manager(h.Db, SessionTestData.TestConfig(SessionTestData.Secrets([DefaultSecret], [CookieSecret])));
        var oldCookie = SessionTestData.WrittenCookie(old, session).Pair;
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", cookie: oldCookie))).StatusCode);
        var unknown = SessionTestData.Manager(h.Db, SessionTestData.TestConfig(SessionTestData.Secrets([DefaultSecret], ["cookie-secret-OTHER-012345678"])));
        var foreignCookie = SessionTestData.WrittenCookie(unknown, session).Pair;
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", cookie: foreignCookie))).StatusCode);
    }

    [Fact]
    public async Task Inactive_identity_and_expired_session_give_401()
    {
        await using var h = await StartAsync();
        var (_, inactive) = await h.SignInAsync(state: "inactive", email: "bob@example.org");
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: inactive.Token))).StatusCode);

        var (_, expired) = await h.SignInAsync(email: "carol@example.org");
        await using (var c = await h.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE sessions SET expires_at = @t WHERE id = @id", new { t = DateTime.UtcNow.AddSeconds(-1), id = expired.Id });
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: expired.Token))).StatusCode);
    }

    [Fact]
    public async Task Highest_available_aal_refuses_a_first_factor_session_when_a_second_exists()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync(availableAal: "aal2");
        var r = await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        var error = (await JsonAsync(r))["error"]!.AsObject();
        Assert.Equal("session_aal2_required", error["id"]!.GetValue<string>());
        Assert.Equal(403, error["code"]!.GetValue<int>());
        Assert.StartsWith(h.Server.Host.Urls.PublicUrl("/self-service/login/browser"), error["details"]!["redirect_browser_to"]!.GetValue<string>());

        await using var relaxed = await StartAsync(new JsonObject { ["session"] = new JsonObject { ["whoami"] = new JsonObject { ["required_aal"] = "aal1" } } });
        var (_, s2) = await relaxed.SignInAsync(availableAal: "aal2");
        Assert.Equal(HttpStatusCode.OK, (await relaxed.Public.SendAsync(Get("/sessions/whoami", token: s2.Token))).StatusCode);
    }

    [Fact]
    public async Task Whoami_does_not_write()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync();
        await using var c = await h.Db.OpenAsync();
        var before = await c.QuerySingleAsync<string>("SELECT updated_at FROM sessions WHERE id = @id", new { id = session.Id });
        for (var i = 0; i < 3; i++) await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token));
        Assert.Equal(before, await c.QuerySingleAsync<string>("SELECT updated_at FROM sessions WHERE id = @id", new { id = session.Id }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM session_devices"));
    }

    /// <summary>Every key we send is one api.json's session schema defines (no invented fields).</summary>
    private static void AssertMatchesApiSchema(JsonObject session)
    {
        var api = JsonNode.Parse(File.ReadAllText(Shared.Path("api.json")))!;
        var schemas = api["components"]!["schemas"]!;
        var props = schemas["session"]!["properties"]!.AsObject();
        foreach (var (key, _) in session) Assert.True(props.ContainsKey(key), $"session.{key} is not in api.json");
        var deviceProps = schemas["sessionDevice"]!["properties"]!.AsObject();
        foreach (var (key, _) in session["devices"]![0]!.AsObject()) Assert.True(deviceProps.ContainsKey(key), $"device.{key} is not in api.json");
        var methodProps = schemas["sessionAuthenticationMethod"]!["properties"]!.AsObject();
        foreach (var (key, _) in session["authentication_methods"]![0]!.AsObject()) Assert.True(methodProps.ContainsKey(key), $"method.{key} is not in api.json");
    }
}
