using System.Text.Json.Nodes;
using Warden.Schemas;
using Xunit;

namespace Warden.Tests.Schemas;

public sealed class SchemaMetaCheckTests
{
    [Theory]
    [InlineData("email.schema.json")]
    [InlineData("nested.schema.json")]
    [InlineData("phone.schema.json")]
    [InlineData("keywords.schema.json")]
    public void Good_fixtures_pass(string name) => Assert.Empty(SchemaMetaCheck.Check(SchemaFixtures.Document(name)));

    [Fact]
    public void Built_in_default_passes() => Assert.Empty(SchemaMetaCheck.Check(IdentitySchemas.BuiltIn().Default.Document));

    [Fact]
    public void Broken_fixture_reports_every_problem()
    {
        var problems = SchemaMetaCheck.Check(SchemaFixtures.Document("broken.schema.json"));
        Assert.Contains(problems, p => p.Contains("credentials/password/identifier") && p.Contains("true or false"));
        Assert.Contains(problems, p => p.Contains("unknown key 'magic'"));
        Assert.Contains(problems, p => p.Contains("verification/via"));
        Assert.Contains(problems, p => p.Contains("format \"uri\""));
        Assert.Equal(4, problems.Count);
    }

    [Theory]
    [InlineData("""{"type": "object"}""", "#/properties")]
    [InlineData("""{"properties": {"name": {"type": "string"}}}""", "#/properties/traits")]
    [InlineData("""{"properties": {"traits": {"type": "string", "properties": {"a": {}}}}}""", "#/properties/traits/type")]
    [InlineData("""{"properties": {"traits": {"type": "object", "properties": {}}}}""", "#/properties/traits/properties")]
    [InlineData("""{"properties": {"traits": {"type": "object"}}}""", "#/properties/traits/properties")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": "string"}}}}""", "#/properties/traits/properties/a")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"type": "text"}}}}}""", "/a/type")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"minLength": "3"}}}}}""", "/a/minLength")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"pattern": "(["}}}}}""", "/a/pattern")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"required": "x"}}}}}""", "/a/required")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"$ref": "#/definitions/missing"}}}}}""", "#/definitions/missing")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"$ref": "other.json#/a"}}}}}""", "nor an http(s) URL")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"$ref": "file:///etc/schema.json"}}}}}""", "nor an http(s) URL")]
    [InlineData("""{"properties": {"traits": {"properties": {"default": {"$ref": "#/nowhere"}}}}}""", "#/nowhere")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"ory.sh/kratos": {"credentials": {"code": {"via": "fax"}}}}}}}}""", "code/via")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"ory.sh/kratos": {"recovery": {"via": "email", "extra": 1}}}}}}}""", "unknown key 'extra'")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"ory.sh/kratos": {"verify": {}}}}}}}""", "unknown key 'verify'")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"ory.sh/kratos": {"organizations": {"matcher": "x"}}}}}}}""", "matcher")]
    [InlineData("""{"properties": {"traits": {"properties": {"a": {"type": "object", "properties": {"b": {"ory.sh/kratos": "yes"}}}}}}}""", "/b/ory.sh~1kratos: must be an object")]
    public void Bad_schemas_are_rejected(string json, string expected)
    {
        var problems = SchemaMetaCheck.Check(JsonNode.Parse(json)!.AsObject());
        Assert.Contains(problems, p => p.Contains(expected));
    }

    /// <summary>http(s) references are fetched on first use, so they are not a load-time problem.</summary>
    [Theory]
    [InlineData("http://192.168.178.1/", null)]
    [InlineData("defs.json#/definitions/a", "https://schemas.example.org/person.json")]
    public void Http_references_are_accepted(string reference, string? id)
    {
        var doc = JsonNode.Parse("""{"properties": {"traits": {"properties": {"a": {}}}}}""")!.AsObject();
        doc["properties"]!["traits"]!["properties"]!["a"]!["$ref"] = reference;
        if (id is not null) doc["$id"] = id;
        Assert.Empty(SchemaMetaCheck.Check(doc));
    }

    [Fact]
    public void Verification_formats_are_limited_but_no_validate_is_allowed()
    {
        const string template = """{"properties": {"traits": {"properties": {"a": {"type": "string", "format": "FORMAT", "ory.sh/kratos": {"verification": {"via": "email"}}}}}}}""";
        foreach (var ok in new[] { "email", "tel", "date", "time", "date-time", "no-validate" })
            Assert.Empty(SchemaMetaCheck.Check(JsonNode.Parse(template.Replace("FORMAT", ok))!.AsObject()));
        Assert.NotEmpty(SchemaMetaCheck.Check(JsonNode.Parse(template.Replace("FORMAT", "hostname"))!.AsObject()));
    }
}
