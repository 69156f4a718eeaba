using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Schemas;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Schemas;

/// <summary>Kratos' own e2e profiles (../shared, when present): every identity schema there must pass our rules and load.</summary>
public sealed class SharedProfileSchemaTests
{
    [Fact]
    public void Every_profile_schema_passes_the_meta_rules_and_yields_fields()
    {
        if (!Shared.Available) return;
        var files = Directory.GetFiles(Shared.Path("profiles"), "*.schema.json", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var doc = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var problems = SchemaMetaCheck.Check(doc).Where(p => !p.Contains("$ref")).ToList();
            Assert.True(problems.Count == 0, $"{file}: {string.Join("; ", problems)}");
            var schema = new IdentitySchema { Id = "x", Document = doc };
            Assert.Contains(schema.Fields(), f => f.Name == "traits.email");
        }
    }

    [Fact]
    public void Profile_configs_resolve_their_repository_relative_schema_urls()
    {
        if (!Shared.Available) return;
        foreach (var config in Directory.GetFiles(Shared.Path("profiles"), ".kratos.yml", SearchOption.AllDirectories))
        {
            var root = ConfigLoader.ReadFile(config);
            var schemas = IdentitySchemas.Load(new WardenConfig(root, sourcePath: config));
            // The "network" profile deliberately points at private addresses; it has its own test below.
            if (schemas.Default.Source.Failure is not null) continue;
            Assert.NotEmpty(schemas.Default.Fields());
        }
    }

    [Fact]
    public async Task Network_profile_loads_with_its_private_addresses_unavailable()
    {
        if (!Shared.Available) return;
        var path = Shared.Path("profiles/network/.kratos.yml");
        var schemas = IdentitySchemas.Load(new WardenConfig(ConfigLoader.ReadFile(path), sourcePath: path));
        // http://localhost/ is refused before any connection is made (disallow_private_ip_ranges: true).
        Assert.Contains("private", schemas.Find("localhost")!.Source.Failure);
        // The "ref" schema itself is a local file; its $ref to 192.168.178.1 is refused on first use.
        var e = await Assert.ThrowsAsync<Warden.Http.ApiException>(async () => await schemas.GetReadyAsync("ref", default));
        Assert.Equal(503, e.Code);
        Assert.Contains("private", e.Reason);
        Assert.Contains(schemas.Find("working")!.Fields(), f => f.Name == "traits.email");
    }

    [Fact]
    public void Email_profile_behaves_like_kratos_describes()
    {
        if (!Shared.Available) return;
        var doc = JsonNode.Parse(File.ReadAllText(Shared.Path("profiles/email/identity.traits.schema.json")))!.AsObject();
        var schema = new IdentitySchema { Id = "default", Document = doc };
        var errors = schema.Validate(new JsonObject { ["email"] = "" });
        Assert.Contains(errors, e => e.Path == "traits.email" && e.MessageId == 4000040);
        Assert.Contains(errors, e => e.Path == "traits.email" && e.MessageId == 4000003);
        Assert.Contains(errors, e => e.Path == "traits.website" && e.MessageId == 4000002);
        var x = schema.Extract(new JsonObject { ["email"] = "Foo@Ory.sh" });
        Assert.Equal(["foo@ory.sh"], x.For("password"));
        Assert.Equal(["foo@ory.sh"], x.For("webauthn"));
    }
}
