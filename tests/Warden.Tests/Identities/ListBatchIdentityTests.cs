using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Identities.AdminClient;

namespace Warden.Tests.Identities;

public sealed partial class ListBatchIdentityTests
{
    [GeneratedRegex("<([^>]+)>; rel=\"(\\w+)\"")]
    private static partial Regex LinkPattern();

    private static Dictionary<string, string> Links(HttpResponseMessage res) =>
        res.Headers.GetValues("Link").Select(l => LinkPattern().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Pages_follow_link_headers_until_the_last(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var ids = new List<string>();
        for (var n = 0; n < 5; n++) ids.Add((await s.Admin.CreateAsync(Person($"page{n}@example.org")))["id"]!.GetValue<string>());

        var seen = new List<string>();
        var url = "/admin/identities?page_size=2&consistency=strong";
        var pages = 0;
        while (url is not null)
        {
            var (status, body, res) = await s.Admin.SendAsync(HttpMethod.Get, url);
            Assert.Equal(HttpStatusCode.OK, status);
            pages++;
            seen.AddRange(body!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            Assert.All(body.AsArray(), i => Assert.Null(i!["credentials"]));
            var links = Links(res);
            Assert.Contains("first", links.Keys);
            Assert.Contains("consistency=strong", links["first"]);
            url = links.TryGetValue("next", out var next) ? new Uri(next).PathAndQuery : null;
        }
        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);

        var (_, all, _) = await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities");
        Assert.Equal(5, all!.AsArray().Count);
        var (_, legacy, legacyRes) = await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities?page=1&per_page=2");
        Assert.Equal(seen.Skip(2).Take(2), legacy!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Contains("page=2", Links(legacyRes)["next"]);
    }

    [Fact]
    public async Task Filters_by_identifier_similarity_ids_and_bad_parameters()
    {
        await using var s = await StartAsync();
        var alice = (await s.Admin.CreateAsync(Person("alice@example.org")))["id"]!.GetValue<string>();
        var alina = (await s.Admin.CreateAsync(Person("alina@example.org")))["id"]!.GetValue<string>();
        var bob = (await s.Admin.CreateAsync(Person("bob@example.org")))["id"]!.GetValue<string>();

        var (_, exact, _) = await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities?credentials_identifier=%20ALICE@example.org");
        var one = Assert.Single(exact!.AsArray())!;
        Assert.Equal(alice, one["id"]!.GetValue<string>());
        Assert.Null(one["credentials"]!["password"]!["config"]);

        var (_, similar, _) = await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities?preview_credentials_identifier_similar=Ali");
        Assert.Equal(new[] { alice, alina }.Order(StringComparer.Ordinal), similar!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        var (_, byIds, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities?ids={bob}&ids={alice}&ids={Guid.NewGuid()}");
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), byIds!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        // Kratos accepts up to 500 ids; repeated as ids=<uuid> they make a request line of about 20 KB, which has to
        // reach the endpoint (Kestrel's default limit of 8 KB answered a bare 414). One more is refused in the error shape.
        var many = Enumerable.Range(0, 498).Select(_ => Guid.NewGuid().ToString()).Append(alice).Append(bob).ToList();
        var (manyStatus, manyBody, _) = await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities?" + string.Join("&", many.Select(i => "ids=" + i)));
        Assert.Equal(HttpStatusCode.OK, manyStatus);
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), manyBody!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Get,
            "/admin/identities?" + string.Join("&", many.Append(Guid.NewGuid().ToString()).Select(i => "ids=" + i))));

        var (_, withCreds, _) = await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities?include_credential=password");
        Assert.All(withCreds!.AsArray(), i => Assert.NotNull(i!["credentials"]!["password"]!["config"]));

        foreach (var bad in new[] { "page_size=0", "page_size=abc", "page_size=-1", "page_token=%%%", "page_token=bm90LWpzb24", "ids=nope",
                     "organization_id=x", "consistency=weak", "include_credential=everything", "page=-1", "per_page=0" })
            AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities?" + bad));
        // Oversized pages are capped rather than refused.
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities?page_size=100000")).Status);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Batch_creates_each_item_on_its_own_and_reports_per_item(string dialect)
    {
        await using var s = await StartAsync(dialect);
        await s.Admin.CreateAsync(Person("taken@example.org"));
        var p1 = Guid.NewGuid();
        var p2 = Guid.NewGuid();
        var p3 = Guid.NewGuid();
        var (status, body, _) = await s.Admin.SendAsync(HttpMethod.Patch, "/admin/identities", new JsonObject
        {
            ["identities"] = new JsonArray(
                new JsonObject { ["patch_id"] = p1.ToString(), ["create"] = Person("batch-ok@example.org", "batch-secret-1") },
                new JsonObject { ["patch_id"] = p2.ToString(), ["create"] = Person("TAKEN@example.org") },
                new JsonObject { ["patch_id"] = p3.ToString(), ["create"] = Person("not-an-email") },
                new JsonObject { ["create"] = Person("batch-ok-2@example.org") }),
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var items = body!["identities"]!.AsArray();
        Assert.Equal(4, items.Count);
        Assert.Equal(["action", "identity", "patch_id"], Keys(items[0]));
        Assert.Equal("create", items[0]!["action"]!.GetValue<string>());
        Assert.Equal(p1.ToString(), items[0]!["patch_id"]!.GetValue<string>());
        Assert.Equal(("error", 409), (items[1]!["action"]!.GetValue<string>(), items[1]!["error"]!["code"]!.GetValue<int>()));
        Assert.Equal(("error", 400), (items[2]!["action"]!.GetValue<string>(), items[2]!["error"]!["code"]!.GetValue<int>()));
        Assert.Equal(p3.ToString(), items[2]!["patch_id"]!.GetValue<string>());
        Assert.Equal("create", items[3]!["action"]!.GetValue<string>());
        var createdId = items[0]!["identity"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{createdId}")).Status);

        var allFailed = await s.Admin.SendAsync(HttpMethod.Patch, "/admin/identities", new JsonObject
        {
            ["identities"] = new JsonArray(new JsonObject { ["create"] = Person("taken@example.org") }),
        });
        AssertError(HttpStatusCode.Conflict, allFailed);
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Patch, "/admin/identities", """{"identities":{}}"""));
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Patch, "/admin/identities", """{"identities":[{"patch_id":"x","create":{}}]}"""));
        var tooMany = new JsonArray(Enumerable.Range(0, 1001).Select(n => (JsonNode)new JsonObject { ["create"] = Person($"m{n}@example.org") }).ToArray());
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Patch, "/admin/identities", new JsonObject { ["identities"] = tooMany }));
    }
}
