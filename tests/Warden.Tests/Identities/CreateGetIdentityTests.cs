using System.Net;
using System.Text.Json.Nodes;
using Warden.Hashing;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Identities.AdminClient;

namespace Warden.Tests.Identities;

public sealed class CreateGetIdentityTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Create_returns_201_with_location_and_kratos_shape_and_get_shows_credentials(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var (status, body, res) = await s.Admin.SendAsync(HttpMethod.Post, "/admin/identities", Person("Ada@Example.ORG", "a-long-secret-1"));
        Assert.Equal(HttpStatusCode.Created, status);
        var id = body!["id"]!.GetValue<string>();
        Assert.Equal(s.Host.Urls.AdminUrl($"admin/identities/{id}"), res.Headers.Location!.ToString());
        Assert.Equal(["id", "schema_id", "schema_url", "state", "state_changed_at", "traits", "verifiable_addresses", "recovery_addresses",
            "metadata_public", "metadata_admin", "created_at", "updated_at", "organization_id"], Keys(body));
        Assert.Equal(s.Host.Urls.PublicUrl("schemas/cGVyc29u"), body["schema_url"]!.GetValue<string>());
        var va = body["verifiable_addresses"]![0]!;
        Assert.Equal(["id", "value", "verified", "via", "status", "created_at", "updated_at"], Keys(va));
        Assert.Equal(("ada@example.org", false, "pending"), (va["value"]!.GetValue<string>(), va["verified"]!.GetValue<bool>(), va["status"]!.GetValue<string>()));
        Assert.Equal("ada@example.org", body["recovery_addresses"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("Ada@Example.ORG", body["traits"]!["email"]!.GetValue<string>());

        var (getStatus, got, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}");
        Assert.Equal(HttpStatusCode.OK, getStatus);
        // The schema names the e-mail as TOTP account name: a label, which must not create a TOTP credential.
        Assert.Equal(["password"], Keys(got!["credentials"]));
        var password = got["credentials"]!["password"]!;
        Assert.Equal(["type", "identifiers", "version", "created_at", "updated_at"], Keys(password));
        Assert.Equal("ada@example.org", password["identifiers"]![0]!.GetValue<string>());

        var (_, declassified, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}?include_credential=password");
        var hash = declassified!["credentials"]!["password"]!["config"]!["hashed_password"]!.GetValue<string>();
        Assert.True(await s.Service<PasswordHasher>().VerifyAsync("a-long-secret-1", hash));
        Assert.DoesNotContain("a-long-secret-1", declassified.ToJsonString());
    }

    [Fact]
    public async Task Defaults_imports_and_addresses()
    {
        await using var s = await StartAsync();
        var hash = await s.Service<PasswordHasher>().HashAsync("imported-secret-1");
        var created = await s.Admin.CreateAsync(new JsonObject
        {
            ["schema_id"] = "",
            ["traits"] = new JsonObject { ["email"] = "UpperCased@Example.org" },
            ["state"] = "inactive",
            ["metadata_public"] = new JsonObject { ["tier"] = 1 },
            ["metadata_admin"] = "note",
            ["external_id"] = "crm-1",
            ["credentials"] = new JsonObject { ["password"] = new JsonObject { ["config"] = new JsonObject { ["hashed_password"] = hash } } },
            ["verifiable_addresses"] = new JsonArray(
                new JsonObject { ["value"] = "uppercased@example.ORG", ["via"] = "email", ["verified"] = true, ["status"] = "completed" },
                new JsonObject { ["value"] = "stranger@example.org", ["via"] = "email", ["verified"] = true }),
        });
        Assert.Equal("person", created["schema_id"]!.GetValue<string>());
        Assert.Equal("inactive", created["state"]!.GetValue<string>());
        Assert.Equal("crm-1", created["external_id"]!.GetValue<string>());
        Assert.Equal("note", created["metadata_admin"]!.GetValue<string>());
        var va = Assert.Single(created["verifiable_addresses"]!.AsArray())!;
        Assert.Equal(("uppercased@example.org", true, "completed"), (va["value"]!.GetValue<string>(), va["verified"]!.GetValue<bool>(), va["status"]!.GetValue<string>()));
        Assert.NotNull(va["verified_at"]);

        var (_, got, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{created["id"]}?include_credential=password&include_credential=oidc");
        // An imported hash is stored as given, so a login can verify it and upgrade it if needed.
        Assert.Equal(hash, got!["credentials"]!["password"]!["config"]!["hashed_password"]!.GetValue<string>());

        var (byExtStatus, byExt, _) = await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities/by/external/crm-1");
        Assert.Equal(HttpStatusCode.OK, byExtStatus);
        Assert.Equal(created["id"]!.GetValue<string>(), byExt!["id"]!.GetValue<string>());
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities/by/external/nobody"));
    }

    [Fact]
    public async Task Oidc_links_import_as_provider_subject_identifiers()
    {
        await using var s = await StartAsync();
        var body = Person("social@example.org");
        body["credentials"] = JsonNode.Parse("""{"oidc":{"config":{"providers":[{"provider":"google","subject":"g-1"},{"provider":"github","subject":"h-2"}]}}}""");
        var created = await s.Admin.CreateAsync(body);
        var (_, got, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{created["id"]}?include_credential=oidc");
        var oidc = got!["credentials"]!["oidc"]!;
        Assert.Equal(["github:h-2", "google:g-1"], oidc["identifiers"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("g-1", oidc["config"]!["providers"]![0]!["subject"]!.GetValue<string>());
        Assert.Null(got["credentials"]!["password"]!["config"]);

        var again = Person("other@example.org");
        again["credentials"] = JsonNode.Parse("""{"oidc":{"config":{"providers":[{"provider":"google","subject":"g-1"}]}}}""");
        AssertError(HttpStatusCode.Conflict, await s.Admin.SendAsync(HttpMethod.Post, "/admin/identities", again));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Duplicates_are_409_and_leave_nothing_behind(string dialect)
    {
        await using var s = await StartAsync(dialect);
        await s.Admin.CreateAsync(Person("dup@example.org", externalId: "ext-dup"));
        AssertError(HttpStatusCode.Conflict, await s.Admin.SendAsync(HttpMethod.Post, "/admin/identities", Person("DUP@Example.org")));
        AssertError(HttpStatusCode.Conflict, await s.Admin.SendAsync(HttpMethod.Post, "/admin/identities", Person("fresh@example.org", externalId: "ext-dup")));
        var (_, list, _) = await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities");
        Assert.Single(list!.AsArray());
        var other = (await s.Admin.CreateAsync(Person("other@example.org")))["id"]!.GetValue<string>();
        AssertError(HttpStatusCode.Conflict, await s.Admin.SendAsync(HttpMethod.Put, $"/admin/identities/{other}", Person("other@example.org", externalId: "ext-dup")));
        AssertError(HttpStatusCode.Conflict, await s.Admin.SendAsync(HttpMethod.Put, $"/admin/identities/{other}", Person("dup@example.org")));
        var (_, unchanged, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{other}");
        Assert.Equal("other@example.org", unchanged!["traits"]!["email"]!.GetValue<string>());
        Assert.Null(unchanged["external_id"]);
    }

    [Fact]
    public async Task Bad_input_is_a_kratos_error_never_a_500()
    {
        await using var s = await StartAsync();
        var invalid = await s.Admin.SendAsync(HttpMethod.Post, "/admin/identities", new JsonObject { ["schema_id"] = "person", ["traits"] = new JsonObject { ["email"] = "not-an-email" } });
        AssertError(HttpStatusCode.BadRequest, invalid);
        Assert.Equal("traits.email", invalid.Body!["error"]!["details"]!["errors"]![0]!["path"]!.GetValue<string>());
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Post, "/admin/identities", new JsonObject { ["schema_id"] = "person", ["traits"] = new JsonObject() }));
        foreach (var bad in new[]
        {
            "{", "[]", "42", """{"schema_id":"nope","traits":{"email":"a@b.org"}}""", """{"schema_id":7,"traits":{}}""",
            """{"traits":"x"}""", """{"traits":{"email":"a@b.org"},"state":"frozen"}""", """{"traits":{"email":"a@b.org"},"organization_id":"x"}""",
            """{"traits":{"email":"a@b.org"},"credentials":{"password":{"config":{"hashed_password":"plain-text"}}}}""",
            """{"traits":{"email":"a@b.org"},"credentials":{"password":{"config":{"password":12}}}}""",
            """{"traits":{"email":"a@b.org"},"credentials":{"totp":{"config":{}}}}""",
            """{"traits":{"email":"a@b.org"},"credentials":[]}""",
            """{"traits":{"email":"a@b.org"},"verifiable_addresses":[{"value":"a@b.org","verified":"yes"}]}""",
        })
            AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Post, "/admin/identities", bad));

        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Get, "/admin/identities/not-a-uuid"));
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{Guid.NewGuid()}"));
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{Guid.NewGuid()}?include_credential=secrets"));
        // Deeply nested JSON beyond the parser's depth limit is a 400, not a stack overflow or a 500.
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Post, "/admin/identities", new string('[', 100) + new string(']', 100)));
        // The admin API lives on the admin port only.
        Assert.Equal(HttpStatusCode.NotFound, (await s.Public.SendAsync(HttpMethod.Get, "/admin/identities")).Status);
    }

    [Fact]
    public async Task Legacy_unprefixed_paths_redirect_to_admin_keeping_method_and_query()
    {
        await using var s = await StartAsync();
        var (status, _, res) = await s.Admin.SendAsync(HttpMethod.Post, "/identities?x=1", Person("legacy@example.org"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, status);
        Assert.Equal(s.Host.Urls.AdminUrl("admin/identities") + "?x=1", res.Headers.Location!.ToString());
        var (_, _, one) = await s.Admin.SendAsync(HttpMethod.Get, $"/identities/{Guid.Empty}");
        Assert.EndsWith($"/admin/identities/{Guid.Empty}", one.Headers.Location!.ToString());
    }
}
