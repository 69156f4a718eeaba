using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Sessions;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Sessions.SessionHttp;

namespace Warden.Tests.Sessions;

/// <summary>Sessions ending with their identity, whoami's cookie refresh, and device recording.</summary>
public sealed class SessionLifecycleTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Deleting_an_identity_through_the_admin_api_ends_its_sessions(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, session) = await h.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.DeleteAsync($"/admin/identities/{alice.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", cookie: h.CookieFor(session)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Admin.GetAsync($"/admin/sessions/{session.Id}")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Deactivating_an_identity_through_the_admin_api_ends_its_sessions(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, session) = await h.SignInAsync();
        var second = await h.IssueAsync(alice);

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/admin/identities/{alice.Id}")
        {
            Content = new StringContent("""[{"op":"replace","path":"/state","value":"inactive"}]""", Encoding.UTF8, "application/json"),
        };
        var r = await h.Admin.SendAsync(patch);
        Assert.True(r.StatusCode == HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        foreach (var s in new[] { session, second })
            Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: s.Token))).StatusCode);
        var listed = JsonNode.Parse(await h.Admin.GetStringAsync($"/admin/identities/{alice.Id}/sessions?active=true"))!.AsArray();
        Assert.Empty(listed);

        // Re-activating the identity does not bring the ended sessions back.
        var back = new HttpRequestMessage(HttpMethod.Patch, $"/admin/identities/{alice.Id}")
        {
            Content = new StringContent("""[{"op":"replace","path":"/state","value":"active"}]""", Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.OK, (await h.Admin.SendAsync(back)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Whoami_resends_the_cookie_only_after_the_session_was_extended(string dialect)
    {
        await using var h = await StartAsync(AdminSessionsTests.Config("10h", null), dialect);
        var (_, session) = await h.SignInAsync();
        var cookie = h.CookieFor(session);

        var first = await h.Public.SendAsync(Get("/sessions/whoami", cookie: cookie));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.Contains("Set-Cookie"));
        // Token callers never get a cookie.
        Assert.False((await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).Headers.Contains("Set-Cookie"));

        await AdminSessionsTests.SetExpiresAtAsync(h, session.Id, DateTime.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.PatchAsync($"/admin/sessions/{session.Id}/extend", null)).StatusCode);
        var expires = await AdminSessionsTests.ExpiresAtAsync(h, session.Id);

        var refreshed = await h.Public.SendAsync(Get("/sessions/whoami", cookie: cookie));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var setCookie = Assert.Single(refreshed.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("ory_kratos_session=", setCookie);
        Assert.Contains("expires=" + expires.ToString("R"), setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);

        // The re-sent cookie names the same session and is current: no further Set-Cookie.
        var newCookie = setCookie.Split(';')[0];
        var again = await h.Public.SendAsync(Get("/sessions/whoami", cookie: newCookie));
        Assert.Equal(session.Id.ToString(), (await JsonAsync(again))["id"]!.GetValue<string>());
        Assert.False(again.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_cookie_without_a_sealed_expiry_is_accepted_and_rewritten()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync();
        var ring = await h.Server.Service<SessionKeys>().GetAsync();
        var legacy = "ory_kratos_session=" + CookieSealer.Seal(ring.Cookie[0], "ory_kratos_session", session.Token!);

        var r = await h.Public.SendAsync(Get("/sessions/whoami", cookie: legacy));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Single(r.Headers.GetValues("Set-Cookie"));
    }

    [Fact]
    public void Cookie_payload_round_trips_and_tolerates_damage()
    {
        var at = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1230);
        Assert.Equal(("ory_st_x", (DateTime?)at), CookiePayload.Read(CookiePayload.Write("ory_st_x", at)));
        Assert.Equal(("ory_st_x", (DateTime?)null), CookiePayload.Read("ory_st_x"));
        Assert.Equal(("ory_st_x", (DateTime?)null), CookiePayload.Read("ory_st_x|-5"));
        Assert.Equal(("ory_st_x", (DateTime?)null), CookiePayload.Read("ory_st_x|99999999999999999999"));
        Assert.Equal(((string?)null, (DateTime?)null), CookiePayload.Read(null));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Devices_record_forwarded_ips_only_from_trusted_proxies_and_grow_on_refresh(string dialect)
    {
        await using var trusted = await SelfService.SelfServiceHarness.StartAsync(dialect,
            tweak: c => c["serve"] = new JsonObject { ["public"] = new JsonObject { ["trusted_proxies"] = new JsonArray("127.0.0.1") } });
        var (token, device) = await RegisterAsync(trusted, "198.51.100.23", "Laptop/1.0");
        Assert.Equal("198.51.100.23", device["ip_address"]!.GetValue<string>());
        Assert.Equal("Laptop/1.0", device["user_agent"]!.GetValue<string>());

        // A refresh from a new address adds a device; the same address and agent again does not.
        await RefreshAsync(trusted, token, "198.51.100.99", "Laptop/1.0");
        await RefreshAsync(trusted, token, "198.51.100.99", "Laptop/1.0");
        var who = new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami");
        who.Headers.Add("X-Session-Token", token);
        var devices = (await JsonAsync(await trusted.Public.SendAsync(who)))["devices"]!.AsArray();
        Assert.Equal(["198.51.100.23", "198.51.100.99"], devices.Select(d => d!["ip_address"]!.GetValue<string>()).ToArray());

        await using var untrusted = await SelfService.SelfServiceHarness.StartAsync(dialect);
        var (_, direct) = await RegisterAsync(untrusted, "198.51.100.23", "Laptop/1.0");
        Assert.Equal("127.0.0.1", direct["ip_address"]!.GetValue<string>());
    }

    private static async Task<(string Token, JsonObject Device)> RegisterAsync(TestServer s, string forwardedFor, string agent)
    {
        var flow = await SelfService.SelfServiceHarness.NativeFlow(s, "registration");
        var submit = SelfService.SelfServiceHarness.PostJson(SelfService.SelfServiceHarness.Action(flow), new JsonObject
        {
            ["traits.email"] = SelfService.SelfServiceHarness.Email(), ["password"] = SelfService.SelfServiceHarness.Password, ["method"] = "password",
        });
        submit.Headers.Add("X-Forwarded-For", forwardedFor);
        submit.Headers.UserAgent.ParseAdd(agent);
        var ok = await SelfService.SelfServiceHarness.ExpectJson(await s.Public.SendAsync(submit), HttpStatusCode.OK);
        return (ok["session_token"]!.GetValue<string>(), Assert.Single(ok["session"]!["devices"]!.AsArray())!.AsObject());
    }

    private static async Task RefreshAsync(TestServer s, string token, string forwardedFor, string agent)
    {
        var create = new HttpRequestMessage(HttpMethod.Get, "/self-service/login/api?refresh=true");
        create.Headers.Add("X-Session-Token", token);
        var flow = await SelfService.SelfServiceHarness.ExpectJson(await s.Public.SendAsync(create), HttpStatusCode.OK);
        var email = SelfService.SelfServiceHarness.Node(flow, "identifier")!["attributes"]!["value"]!.GetValue<string>();
        var submit = SelfService.SelfServiceHarness.PostJson(SelfService.SelfServiceHarness.Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = SelfService.SelfServiceHarness.Password, ["method"] = "password",
        });
        submit.Headers.Add("X-Session-Token", token);
        submit.Headers.Add("X-Forwarded-For", forwardedFor);
        submit.Headers.UserAgent.ParseAdd(agent);
        await SelfService.SelfServiceHarness.ExpectJson(await s.Public.SendAsync(submit), HttpStatusCode.OK);
    }
}
