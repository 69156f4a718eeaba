using System.Net;
using System.Text.Json.Nodes;
using Warden.Hashing;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Identities.AdminClient;

namespace Warden.Tests.Identities;

public sealed class UpdatePatchIdentityTests
{
    private static async Task<int> ActiveSessionsAsync(TestServer s, string identityId)
    {
        await using var c = await s.Service<Database>().OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sessions WHERE identity_id = @id AND active = @a", new { id = Guid.Parse(identityId), a = true });
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Put_replaces_fields_rederives_addresses_and_inactive_ends_sessions(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var created = await s.Admin.CreateAsync(new JsonObject
        {
            ["schema_id"] = "team",
            ["traits"] = new JsonObject { ["username"] = "Grace", ["emails"] = new JsonArray("keep@example.org", "drop@example.org") },
            ["verifiable_addresses"] = new JsonArray(new JsonObject { ["value"] = "keep@example.org", ["verified"] = true }),
            ["metadata_admin"] = new JsonObject { ["a"] = 1 },
        });
        var id = created["id"]!.GetValue<string>();
        await IdentityStoreTests.InsertSessionAsync(s.Service<Database>(), Guid.Parse(id));

        var (status, updated, _) = await s.Admin.SendAsync(HttpMethod.Put, $"/admin/identities/{id}", new JsonObject
        {
            ["schema_id"] = "team",
            ["state"] = "inactive",
            ["traits"] = new JsonObject { ["username"] = "grace", ["emails"] = new JsonArray("keep@example.org", "new@example.org") },
            ["metadata_public"] = new JsonObject { ["p"] = true },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("inactive", updated!["state"]!.GetValue<string>());
        Assert.NotEqual(created["state_changed_at"]!.GetValue<string>(), updated["state_changed_at"]!.GetValue<string>());
        Assert.Null(updated["metadata_admin"]);
        Assert.True(updated["metadata_public"]!["p"]!.GetValue<bool>());
        var addresses = updated["verifiable_addresses"]!.AsArray().ToDictionary(a => a!["value"]!.GetValue<string>());
        Assert.Equal(["keep@example.org", "new@example.org"], addresses.Keys.Order());
        Assert.True(addresses["keep@example.org"]!["verified"]!.GetValue<bool>());
        Assert.Equal(created["verifiable_addresses"]![0]!["id"]!.GetValue<string>(), addresses["keep@example.org"]!["id"]!.GetValue<string>());
        Assert.False(addresses["new@example.org"]!["verified"]!.GetValue<bool>());
        Assert.Equal("pending", addresses["new@example.org"]!["status"]!.GetValue<string>());
        Assert.Equal(0, await ActiveSessionsAsync(s, id));

        // drop@ is no longer an identifier of this identity: someone else may take it.
        await s.Admin.CreateAsync(new JsonObject { ["schema_id"] = "team", ["traits"] = new JsonObject { ["username"] = "drop@example.org" } });
        var (_, got, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}");
        Assert.Equal(["grace", "keep@example.org", "new@example.org"], got!["credentials"]!["password"]!["identifiers"]!.AsArray().Select(n => n!.GetValue<string>()));

        AssertError(HttpStatusCode.Conflict, await s.Admin.SendAsync(HttpMethod.Put, $"/admin/identities/{id}", new JsonObject
        {
            ["schema_id"] = "team", ["state"] = "active", ["traits"] = new JsonObject { ["username"] = "DROP@example.org" },
        }));
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Put, $"/admin/identities/{id}", new JsonObject { ["traits"] = new JsonObject { ["username"] = "x" } }));
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Put, $"/admin/identities/{Guid.NewGuid()}", Person("a@example.org")));
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Put, "/admin/identities/123", Person("a@example.org")));
    }

    [Fact]
    public async Task Put_with_a_password_replaces_it_and_oidc_links_are_added()
    {
        await using var s = await StartAsync();
        var body = Person("pw@example.org", "first-secret-1");
        body["credentials"]!["oidc"] = JsonNode.Parse("""{"config":{"providers":[{"provider":"google","subject":"1"}]}}""");
        var id = (await s.Admin.CreateAsync(body))["id"]!.GetValue<string>();
        var update = Person("pw@example.org", "second-secret-2");
        update["state"] = "active";
        update["credentials"]!["oidc"] = JsonNode.Parse("""{"config":{"providers":[{"provider":"github","subject":"2"}]}}""");
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.SendAsync(HttpMethod.Put, $"/admin/identities/{id}", update)).Status);
        var (_, got, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}?include_credential=password");
        var hash = got!["credentials"]!["password"]!["config"]!["hashed_password"]!.GetValue<string>();
        Assert.True(await s.Service<PasswordHasher>().VerifyAsync("second-secret-2", hash));
        Assert.Equal(["github:2", "google:1"], got["credentials"]!["oidc"]!["identifiers"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Patch_applies_rfc6902_and_revalidates(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var id = (await s.Admin.CreateAsync(Person("patch@example.org", "old-secret-1")))["id"]!.GetValue<string>();
        var (status, patched, _) = await s.Admin.SendAsync(HttpMethod.Patch, $"/admin/identities/{id}", JsonNode.Parse("""
            [
              {"op":"test","path":"/traits/email","value":"patch@example.org"},
              {"op":"add","path":"/traits/name","value":"Pat"},
              {"op":"replace","path":"/metadata_public","value":{"plan":"pro","tags":["a"]}},
              {"op":"add","path":"/metadata_public/tags/-","value":"b"},
              {"op":"copy","from":"/traits/name","path":"/metadata_admin"},
              {"op":"move","from":"/metadata_public/plan","path":"/metadata_public/tier"},
              {"op":"remove","path":"/metadata_public/tags/0"},
              {"op":"replace","path":"/verifiable_addresses/0/verified","value":true},
              {"op":"add","path":"/credentials/password/config/password","value":"new-secret-2"},
              {"op":"replace","path":"/external_id","value":"ext-patched"}
            ]
            """));
        Assert.True(status == HttpStatusCode.OK, patched?.ToJsonString());
        Assert.Equal("Pat", patched!["traits"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"tags":["b"],"tier":"pro"}""", patched["metadata_public"]!.ToJsonString());
        Assert.Equal("Pat", patched["metadata_admin"]!.GetValue<string>());
        Assert.Equal("ext-patched", patched["external_id"]!.GetValue<string>());
        Assert.True(patched["verifiable_addresses"]![0]!["verified"]!.GetValue<bool>());
        Assert.Equal("completed", patched["verifiable_addresses"]![0]!["status"]!.GetValue<string>());
        var (_, got, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}?include_credential=password");
        Assert.True(await s.Service<PasswordHasher>().VerifyAsync("new-secret-2", got!["credentials"]!["password"]!["config"]!["hashed_password"]!.GetValue<string>()));

        foreach (var bad in new[]
        {
            """[{"op":"replace","path":"/id","value":"00000000-0000-0000-0000-000000000000"}]""",
            """[{"op":"replace","path":"/created_at","value":"2020-01-01T00:00:00Z"}]""",
            """[{"op":"add","path":"/credentials/oidc","value":{}}]""",
            """[{"op":"move","from":"/id","path":"/metadata_public"}]""",
            """[{"op":"test","path":"/state","value":"inactive"}]""",
            """[{"op":"remove","path":"/traits/missing"}]""",
            """[{"op":"replace","path":"/traits/email","value":"not-an-email"}]""",
            """[{"op":"replace","path":"/state","value":"sleeping"}]""",
            """[{"op":"replace","path":"/traits","value":[]}]""",
            """[{"op":"frobnicate","path":"/traits"}]""",
            """[{"op":"add","path":"traits/x","value":1}]""",
            """[{"op":"add","path":"/metadata_public/x/y","value":1}]""",
            """{"op":"add"}""",
            """[1]""",
        })
            AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Patch, $"/admin/identities/{id}", bad));
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Patch, $"/admin/identities/{Guid.NewGuid()}", "[]"));
        // A failed patch changed nothing.
        var (_, after, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}");
        Assert.Equal("patch@example.org", after!["traits"]!["email"]!.GetValue<string>());
        Assert.Equal("active", after["state"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Delete_is_204_then_404_and_takes_sessions_along(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var id = (await s.Admin.CreateAsync(Person("gone@example.org")))["id"]!.GetValue<string>();
        await IdentityStoreTests.InsertSessionAsync(s.Service<Database>(), Guid.Parse(id));
        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.SendAsync(HttpMethod.Delete, $"/admin/identities/{id}")).Status);
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Delete, $"/admin/identities/{id}"));
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}"));
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Delete, "/admin/identities/zzz"));
        await using (var c = await s.Service<Database>().OpenAsync())
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sessions"));
        // The identifier is free again.
        await s.Admin.CreateAsync(Person("gone@example.org"));
    }

    [Fact]
    public async Task Delete_credentials_by_type_and_provider_link()
    {
        await using var s = await StartAsync();
        var body = Person("cred@example.org", "secret-secret-1");
        body["credentials"]!["oidc"] = JsonNode.Parse("""{"config":{"providers":[{"provider":"google","subject":"1"},{"provider":"github","subject":"2"}]}}""");
        var id = (await s.Admin.CreateAsync(body))["id"]!.GetValue<string>();
        var path = $"/admin/identities/{id}/credentials";

        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Delete, $"{path}/oidc"));
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Delete, $"{path}/passkey"));
        AssertError(HttpStatusCode.BadRequest, await s.Admin.SendAsync(HttpMethod.Delete, $"{path}/magic"));
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Delete, $"{path}/oidc?identifier=google:nope"));
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Delete, $"{path}/totp"));
        AssertError(HttpStatusCode.NotFound, await s.Admin.SendAsync(HttpMethod.Delete, $"/admin/identities/{Guid.NewGuid()}/credentials/password"));

        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.SendAsync(HttpMethod.Delete, $"{path}/oidc?identifier=google:1")).Status);
        var (_, got, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}");
        Assert.Equal(["github:2"], got!["credentials"]!["oidc"]!["identifiers"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.SendAsync(HttpMethod.Delete, $"{path}/oidc?identifier=github:2")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.SendAsync(HttpMethod.Delete, $"{path}/password")).Status);
        (_, got, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}");
        Assert.Null(got!["credentials"]);
    }
}
