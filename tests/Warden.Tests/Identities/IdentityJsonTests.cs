using System.Net;
using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Identities;
using Warden.Identities.Admin;
using Warden.Http;
using Warden.Schemas;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Identities.AdminClient;

namespace Warden.Tests.Identities;

/// <summary>Rendering, normalisation and JSON Patch on their own, plus structure checks against Kratos' snapshots.</summary>
public sealed class IdentityJsonTests
{
    private static readonly IdentityJson Json = new(IdentitySchemas.BuiltIn(), new BaseUrls());

    [Fact]
    public void Public_rendering_never_has_credentials_or_admin_metadata()
    {
        var i = IdentityStoreTests.Make("pub@example.org");
        i.SchemaId = "default";
        i.Credentials["oidc"] = new Credential { Type = "oidc", Identifiers = ["g:1"], Config = new JsonObject { ["providers"] = new JsonArray() } };
        foreach (var publicJson in new[] { Json.ToJson(i), Json.ToJson(i, admin: false, includeCredentials: true, declassify: ["password"]) })
        {
            Assert.Null(publicJson["credentials"]);
            Assert.False(publicJson.ContainsKey("metadata_admin"));
            Assert.DoesNotContain("hashed_password", publicJson.ToJsonString());
            Assert.Equal("free", publicJson["metadata_public"]!["plan"]!.GetValue<string>());
        }
        var admin = Json.ToJson(i, admin: true);
        Assert.True(admin.ContainsKey("metadata_admin"));
        Assert.Null(admin["credentials"]);
        var withCreds = Json.ToJson(i, admin: true, includeCredentials: true, declassify: ["oidc"]);
        Assert.Null(withCreds["credentials"]!["password"]!["config"]);
        Assert.NotNull(withCreds["credentials"]!["oidc"]!["config"]);
        Assert.Equal("http://127.0.0.1:4433/schemas/ZGVmYXVsdA", admin["schema_url"]!.GetValue<string>());
        Assert.Equal("2024-01-02T03:04:05.5Z", IdentityJson.Time(new DateTime(2024, 1, 2, 3, 4, 5, 500, DateTimeKind.Utc)));
    }

    [Theory]
    [InlineData("  Alice@Example.ORG ", "alice@example.org")]
    [InlineData("ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｏｒｇ", "alice@example.org")]
    [InlineData("UserName", "username")]
    public void Identifiers_normalise_like_the_schema_extension(string input, string expected)
    {
        Assert.Equal(expected, IdentityService.NormalizeIdentifier(input));
        var extracted = IdentitySchemas.BuiltIn().Default.Extract(new JsonObject { ["email"] = input });
        if (input.Contains('@') || input.Contains('＠')) Assert.Equal(expected, extracted.Identifiers["password"][0]);
    }

    [Fact]
    public void Json_patch_follows_rfc6902()
    {
        var doc = JsonNode.Parse("""{"a":{"b":[1,2]},"x/y":1,"t~":2}""")!.AsObject();
        var result = JsonPatch.Apply(doc, JsonNode.Parse("""
            [
              {"op":"add","path":"/a/b/1","value":9},
              {"op":"add","path":"/a/b/-","value":3},
              {"op":"replace","path":"/x~1y","value":5},
              {"op":"remove","path":"/t~0"},
              {"op":"copy","from":"/a/b","path":"/c"},
              {"op":"move","from":"/c/0","path":"/d"},
              {"op":"test","path":"/a/b","value":[1,9,2,3]}
            ]
            """), _ => true);
        Assert.Equal("""{"a":{"b":[1,9,2,3]},"x/y":5,"c":[9,2,3],"d":1}""", result.ToJsonString());
        Assert.Equal("""{"a":{"b":[1,2]},"x/y":1,"t~":2}""", doc.ToJsonString());
        foreach (var bad in new[]
        {
            """[{"op":"add","path":"/a/b/7","value":0}]""", """[{"op":"add","path":"/a/b/01","value":0}]""",
            """[{"op":"move","from":"/a","path":"/a/b/z"}]""", """[{"op":"test","path":"/a/b","value":[1]}]""",
            """[{"op":"replace","path":"","value":{}}]""", """[{"op":"add","path":"/a"}]""", """[{"op":"remove","path":"/nope"}]""",
        })
            Assert.Equal(400, Assert.Throws<ApiException>(() => JsonPatch.Apply(doc, JsonNode.Parse(bad), _ => true)).Code);
        Assert.Equal(400, Assert.Throws<ApiException>(() => JsonPatch.Apply(doc, JsonNode.Parse("""[{"op":"add","path":"/a/q","value":1}]"""), p => p != "/a/q")).Code);
    }

    /// <summary>Every key of the snapshot object is in ours, in the same relative order, recursively (values are not compared).</summary>
    private static void AssertStructure(JsonNode? snapshot, JsonNode? ours, string at)
    {
        if (snapshot is JsonObject so)
        {
            var mine = Assert.IsType<JsonObject>(ours, exactMatch: false);
            var keys = mine.Select(kv => kv.Key).ToList();
            var positions = so.Select(kv => kv.Key).Where(k => k is not ("traits" or "metadata_public" or "metadata_admin")).Select(k =>
            {
                Assert.True(mine.ContainsKey(k), $"{at}.{k} is missing in {mine.ToJsonString()}");
                return keys.IndexOf(k);
            }).ToList();
            Assert.True(positions.SequenceEqual(positions.Order()), $"key order at {at}: {string.Join(",", so.Select(kv => kv.Key))} vs {string.Join(",", keys)}");
            foreach (var (k, v) in so)
                if (k is not ("traits" or "metadata_public" or "metadata_admin" or "config")) AssertStructure(v, mine[k], $"{at}.{k}");
        }
        else if (snapshot is JsonArray sa && sa.Count > 0 && sa[0] is JsonObject)
        {
            var mine = Assert.IsType<JsonArray>(ours, exactMatch: false);
            Assert.NotEmpty(mine);
            AssertStructure(sa[0], mine[0], at + "[0]");
        }
    }

    private static JsonNode Snapshot(string name) =>
        JsonNode.Parse(File.ReadAllText(Shared.Path($"snapshots/identity__{name}.json")))!;

    [Fact]
    public async Task Matches_the_structure_of_kratos_snapshots()
    {
        if (!Shared.Available) return;
        await using var s = await StartAsync();
        var body = Person("UpperCased@ory.sh", "snapshot-secret-1");
        body["verifiable_addresses"] = new JsonArray(new JsonObject { ["value"] = "UpperCased@ory.sh", ["via"] = "email", ["verified"] = true, ["status"] = "completed" });
        body["credentials"]!["oidc"] = JsonNode.Parse("""{"config":{"providers":[{"provider":"google","subject":"import-2"}]}}""");
        var id = (await s.Admin.CreateAsync(body))["id"]!.GetValue<string>();

        var (status, plain, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, declassified, _) = await s.Admin.SendAsync(HttpMethod.Get, $"/admin/identities/{id}?include_credential=password&include_credential=oidc");
        var without = Snapshot("TestHandler-suite=create_and_update-case=should_get_identity_with_credentials-case=should_get_identity_without_credentials_included");
        without["credentials"]!.AsObject().Remove("webauthn");
        AssertStructure(without, plain, "identity");
        var with = Snapshot("TestHandler-suite=create_and_update-case=should_get_identity_with_credentials-case=should_get_identity_with_password_credentials_included");
        with["credentials"]!.AsObject().Remove("webauthn");
        AssertStructure(with, declassified, "identity");
        AssertStructure(Snapshot("TestHandler-case=should_be_able_to_import_users-with_not-normalized_email"), declassified, "identity");
        var oidc = Snapshot("TestHandler-case=should_be_able_to_import_users-with_cleartext_password_and_oidc_credentials");
        AssertStructure(oidc["credentials"]!["oidc"]!["config"], declassified!["credentials"]!["oidc"]!["config"], "oidc.config");
        AssertStructure(Snapshot("TestWithDeclassifiedCredentials-case=no-include-credential=password"), plain!["credentials"]!["password"], "password");
        Assert.Null(plain["credentials"]!["password"]!["config"]);

        // The public rendering in the snapshots lacks metadata_admin, like ours.
        var publicSnapshot = Snapshot("TestHandler-case=PATCH_should_allow_to_update_credential_password");
        Assert.False(publicSnapshot.AsObject().ContainsKey("metadata_admin"));
        var stored = await s.Service<IdentityService>().GetAsync(Guid.Parse(id));
        Assert.False(s.Service<IdentityJson>().ToJson(stored!).ContainsKey("metadata_admin"));
    }
}
