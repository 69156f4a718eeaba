using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Sessions.SessionHttp;

namespace Warden.Tests.Sessions;

/// <summary>listMySessions, disableMyOtherSessions, disableMySession on the public port.</summary>
public sealed class MySessionsTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task List_shows_only_the_callers_other_active_sessions(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, current) = await h.SignInAsync();
        var other = await h.IssueAsync(alice, new("198.51.100.9", "Phone/1.0"));
        var ended = await h.IssueAsync(alice);
        await h.Sessions.RevokeAsync(ended.Id);
        var (_, bobs) = await h.SignInAsync(email: "bob@example.org");

        foreach (var auth in new[] { Get("/sessions", token: current.Token), Get("/sessions", cookie: h.CookieFor(current)) })
        {
            var r = await h.Public.SendAsync(auth);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.True(r.Headers.CacheControl!.NoStore);
            var list = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsArray();
            var only = Assert.Single(list)!.AsObject();
            Assert.Equal(other.Id.ToString(), only["id"]!.GetValue<string>());
            Assert.True(only["active"]!.GetValue<bool>());
            Assert.Equal(alice.Id.ToString(), only["identity"]!["id"]!.GetValue<string>());
            Assert.False(only["identity"]!.AsObject().ContainsKey("metadata_admin"));
            Assert.Equal("Phone/1.0", Assert.Single(only["devices"]!.AsArray())!["user_agent"]!.GetValue<string>());
            Assert.DoesNotContain(bobs.Id.ToString(), list.ToJsonString());
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task List_pages_with_page_token_and_link_headers(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, current) = await h.SignInAsync();
        var others = new List<Guid>();
        for (var i = 0; i < 5; i++) others.Add((await h.IssueAsync(alice)).Id);

        var seen = new List<string>();
        var url = "/sessions?page_size=2";
        for (var pages = 0; url is not null; pages++)
        {
            Assert.True(pages < 5, "paging does not end");
            var r = await h.Public.SendAsync(Get(url, token: current.Token));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var list = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsArray();
            Assert.True(list.Count <= 2);
            seen.AddRange(list.Select(s => s!["id"]!.GetValue<string>()));
            var links = r.Headers.GetValues("Link").ToList();
            Assert.Contains(links, l => l.EndsWith("rel=\"first\"") && l.Contains("page_size=2"));
            var next = links.FirstOrDefault(l => l.EndsWith("rel=\"next\""));
            url = next is null ? null : new Uri(next[1..next.IndexOf('>')]).PathAndQuery;
        }
        Assert.Equal(others.Select(g => g.ToString()).Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());

        // Legacy page/per_page still works.
        var legacy = await h.Public.SendAsync(Get("/sessions?page=1&per_page=2", token: current.Token));
        Assert.Equal(2, JsonNode.Parse(await legacy.Content.ReadAsStringAsync())!.AsArray().Count);
        Assert.Contains(legacy.Headers.GetValues("Link"), l => l.EndsWith("rel=\"prev\""));

        foreach (var bad in new[] { "/sessions?page_token=garbage", "/sessions?page_size=0", "/sessions?page_size=x" })
            Assert.Equal(HttpStatusCode.BadRequest, (await h.Public.SendAsync(Get(bad, token: current.Token))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Disable_other_sessions_counts_and_keeps_the_current_one(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, current) = await h.SignInAsync();
        var a = await h.IssueAsync(alice);
        var b = await h.IssueAsync(alice);
        var (_, bobs) = await h.SignInAsync(email: "bob@example.org");

        var r = await h.Public.SendAsync(Send(HttpMethod.Delete, "/sessions", token: current.Token));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(2, (await JsonAsync(r))["count"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: current.Token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: bobs.Token))).StatusCode);
        foreach (var ended in new[] { a, b })
            Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: ended.Token))).StatusCode);

        var again = await h.Public.SendAsync(Send(HttpMethod.Delete, "/sessions", cookie: h.CookieFor(current)));
        Assert.Equal(0, (await JsonAsync(again))["count"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Disable_one_session_rules(string dialect)
    {
        await using var h = await StartAsync(dialect: dialect);
        var (alice, current) = await h.SignInAsync();
        var other = await h.IssueAsync(alice);
        var (_, bobs) = await h.SignInAsync(email: "bob@example.org");

        var r = await h.Public.SendAsync(Send(HttpMethod.Delete, $"/sessions/{other.Id}", token: current.Token));
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Public.SendAsync(Get("/sessions/whoami", token: other.Token))).StatusCode);

        var self = await h.Public.SendAsync(Send(HttpMethod.Delete, $"/sessions/{current.Id}", token: current.Token));
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Equal(400, (await JsonAsync(self))["error"]!["code"]!.GetValue<int>());

        var foreign = await h.Public.SendAsync(Send(HttpMethod.Delete, $"/sessions/{bobs.Id}", token: current.Token));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: bobs.Token))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await h.Public.SendAsync(Send(HttpMethod.Delete, $"/sessions/{Guid.NewGuid()}", token: current.Token))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.Public.SendAsync(Send(HttpMethod.Delete, "/sessions/not-a-uuid", token: current.Token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: current.Token))).StatusCode);
    }

    [Fact]
    public async Task Every_endpoint_needs_a_session()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync();
        foreach (var request in new[]
                 {
                     Get("/sessions"), Send(HttpMethod.Delete, "/sessions"), Send(HttpMethod.Delete, $"/sessions/{session.Id}"),
                     Get("/sessions", token: "ory_st_" + new string('q', 32)),
                 })
        {
            var r = await h.Public.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("session_inactive", (await JsonAsync(r))["error"]!["id"]!.GetValue<string>());
        }
        // Nothing was revoked by the refused calls.
        Assert.Equal(HttpStatusCode.OK, (await h.Public.SendAsync(Get("/sessions/whoami", token: session.Token))).StatusCode);
    }

    [Fact]
    public async Task Highest_available_aal_is_enforced_like_whoami()
    {
        await using var h = await StartAsync();
        var (_, session) = await h.SignInAsync(availableAal: "aal2");
        var r = await h.Public.SendAsync(Get("/sessions", token: session.Token));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("session_aal2_required", (await JsonAsync(r))["error"]!["id"]!.GetValue<string>());
    }
}
