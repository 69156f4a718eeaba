using System.Net;
using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Sessions.SessionHttp;

namespace Warden.Tests.Sessions;

/// <summary>The admin session API: list, get, disable, extend, and the identity-scoped list/delete.</summary>
public sealed class AdminSessionsTests
{
    private static async Task<JsonArray> ArrayAsync(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task List_filters_by_active_expands_and_pages(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, a1) = await h.SignInAsync();
        var a2 = await h.IssueAsync(alice);
        var (_, b1) = await h.SignInAsync(email: "bob@example.org");
        await h.Sessions.RevokeAsync(a2.Id);

        var all = await ArrayAsync(await h.Admin.GetAsync("/admin/sessions"));
        Assert.Equal(3, all.Count);
        // Not expanded: neither identity nor devices.
        Assert.All(all, s => Assert.False(s!.AsObject().ContainsKey("identity") || s.AsObject().ContainsKey("devices")));

        var active = await ArrayAsync(await h.Admin.GetAsync("/admin/sessions?active=true&expand=identity&expand=devices"));
        Assert.Equal(new[] { a1.Id, b1.Id }.Select(g => g.ToString()).Order(), active.Select(s => s!["id"]!.GetValue<string>()).Order());
        Assert.All(active, s =>
        {
            Assert.NotNull(s!["identity"]!["traits"]);
            Assert.Equal("203.0.113.7", Assert.Single(s["devices"]!.AsArray())!["ip_address"]!.GetValue<string>());
        });
        var inactive = await ArrayAsync(await h.Admin.GetAsync("/admin/sessions?active=false&expand=Identity"));
        Assert.Equal(a2.Id.ToString(), Assert.Single(inactive)!["id"]!.GetValue<string>());
        Assert.False(inactive[0]!["active"]!.GetValue<bool>());

        var seen = new List<string>();
        var url = "/admin/sessions?page_size=1&active=true";
        for (var n = 0; url is not null; n++)
        {
            Assert.True(n < 5, "paging does not end");
            var r = await h.Admin.GetAsync(url);
            seen.AddRange((await ArrayAsync(r)).Select(s => s!["id"]!.GetValue<string>()));
            var next = r.Headers.GetValues("Link").FirstOrDefault(l => l.EndsWith("rel=\"next\""));
            Assert.True(next is null || next.Contains("active=true"), next);
            url = next is null ? null : new Uri(next[1..next.IndexOf('>')]).PathAndQuery;
        }
        Assert.Equal(active.Select(s => s!["id"]!.GetValue<string>()).Order(), seen.Order());

        foreach (var bad in new[] { "?active=maybe", "?expand=everything", "?page_token=%%%", "?page_size=-1" })
        {
            var r = await h.Admin.GetAsync("/admin/sessions" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal(400, (await JsonAsync(r))["error"]!["code"]!.GetValue<int>());
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Get_and_disable_one_session(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, session) = await h.SignInAsync();

        var plain = await JsonAsync(await h.Admin.GetAsync($"/admin/sessions/{session.Id}"));
        Assert.Equal(session.Id.ToString(), plain["id"]!.GetValue<string>());
        Assert.False(plain.ContainsKey("identity"));
        var expanded = await JsonAsync(await h.Admin.GetAsync($"/admin/sessions/{session.Id}?expand=identity&expand=devices"));
        Assert.Equal(alice.Id.ToString(), expanded["identity"]!["id"]!.GetValue<string>());
        Assert.Single(expanded["devices"]!.AsArray());

        Assert.Equal(HttpStatusCode.NotFound, (await h.Admin.GetAsync($"/admin/sessions/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.Admin.GetAsync("/admin/sessions/nope")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.DeleteAsync($"/admin/sessions/{session.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
        // Session data is kept, only deactivated.
        Assert.False((await JsonAsync(await h.Admin.GetAsync($"/admin/sessions/{session.Id}")))["active"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await h.Admin.DeleteAsync($"/admin/sessions/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.Admin.DeleteAsync("/admin/sessions/nope")).StatusCode);
        // Admin routes are not on the public port.
        Assert.Equal(HttpStatusCode.NotFound, (await h.Public.GetAsync($"/admin/sessions/{session.Id}")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Extend_respects_earliest_possible_extend(string dialect)
    {
        // Lifespan 10h, extension allowed only within the last hour: a fresh session is not due.
        await using var h = await StartAsync(Config("10h", "1h"), dialect);
        var (_, session) = await h.SignInAsync();
        var before = await ExpiresAtAsync(h, session.Id);

        var r = await h.Admin.PatchAsync($"/admin/sessions/{session.Id}/extend", null);
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        Assert.Equal(before, await ExpiresAtAsync(h, session.Id));

        // Move the session into the extension window (30 minutes left): now it gets a fresh lifespan.
        await SetExpiresAtAsync(h, session.Id, DateTime.UtcNow.AddMinutes(30));
        Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.PatchAsync($"/admin/sessions/{session.Id}/extend", null)).StatusCode);
        var after = await ExpiresAtAsync(h, session.Id);
        Assert.True(after > DateTime.UtcNow.AddHours(9), after.ToString("O"));

        Assert.Equal(HttpStatusCode.NotFound, (await h.Admin.PatchAsync($"/admin/sessions/{Guid.NewGuid()}/extend", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.Admin.PatchAsync("/admin/sessions/x/extend", null)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Extend_without_earliest_possible_extend_always_extends_and_revives_expired_sessions(string dialect)
    {
        await using var h = await StartAsync(Config("10h", null), dialect);
        var (_, session) = await h.SignInAsync();
        await SetExpiresAtAsync(h, session.Id, DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.PatchAsync($"/admin/sessions/{session.Id}/extend", null)).StatusCode);
        Assert.True(await ExpiresAtAsync(h, session.Id) > DateTime.UtcNow.AddHours(9));
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Identity_sessions_list_and_delete(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, a1) = await h.SignInAsync();
        var a2 = await h.IssueAsync(alice);
        await h.Sessions.RevokeAsync(a2.Id);
        var (bob, b1) = await h.SignInAsync(email: "bob@example.org");

        var list = await ArrayAsync(await h.Admin.GetAsync($"/admin/identities/{alice.Id}/sessions"));
        Assert.Equal(new[] { a1.Id, a2.Id }.Select(g => g.ToString()).Order(), list.Select(s => s!["id"]!.GetValue<string>()).Order());
        Assert.All(list, s => Assert.Equal(alice.Id.ToString(), s!["identity"]!["id"]!.GetValue<string>()));
        var activeOnly = await ArrayAsync(await h.Admin.GetAsync($"/admin/identities/{alice.Id}/sessions?active=true"));
        Assert.Equal(a1.Id.ToString(), Assert.Single(activeOnly)!["id"]!.GetValue<string>());
        var paged = await h.Admin.GetAsync($"/admin/identities/{alice.Id}/sessions?page_size=1");
        Assert.Single(await ArrayAsync(paged));
        Assert.Contains(paged.Headers.GetValues("Link"), l => l.EndsWith("rel=\"next\"") && l.Contains($"/admin/identities/{alice.Id}/sessions"));

        Assert.Equal(HttpStatusCode.NotFound, (await h.Admin.GetAsync($"/admin/identities/{Guid.NewGuid()}/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.Admin.GetAsync("/admin/identities/nope/sessions")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await h.Admin.DeleteAsync($"/admin/identities/{alice.Id}/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: a1.Token))).StatusCode);
        Assert.Empty(await ArrayAsync(await h.Admin.GetAsync($"/admin/identities/{alice.Id}/sessions")));
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: b1.Token))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Admin.DeleteAsync($"/admin/identities/{Guid.NewGuid()}/sessions")).StatusCode);
        await using (var c = await h.Db.OpenAsync())
            Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM session_devices"));

        // The identities feature's routes beside ours still answer.
        Assert.Equal(HttpStatusCode.OK, (await h.Admin.GetAsync($"/admin/identities/{bob.Id}")).StatusCode);
    }

    internal static JsonObject Config(string lifespan, string? earliest)
    {
        var session = new JsonObject { ["lifespan"] = lifespan };
        if (earliest is not null) session["earliest_possible_extend"] = earliest;
        return new JsonObject { ["session"] = session };
    }

    internal static async Task<DateTime> ExpiresAtAsync(SessionHttp h, Guid id)
    {
        var json = await JsonAsync(await h.Admin.GetAsync($"/admin/sessions/{id}"));
        return DateTime.Parse(json["expires_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal);
    }

    internal static async Task SetExpiresAtAsync(SessionHttp h, Guid id, DateTime at)
    {
        await using var c = await h.Db.OpenAsync();
        await c.ExecuteAsync("UPDATE sessions SET expires_at = @at WHERE id = @id", new { at, id });
    }
}
