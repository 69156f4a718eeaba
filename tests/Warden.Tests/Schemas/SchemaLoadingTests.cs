using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Schemas;
using Xunit;

namespace Warden.Tests.Schemas;

public sealed class SchemaLoadingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "warden-schemas-" + Guid.NewGuid().ToString("N")[..8]);

    public SchemaLoadingTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static WardenConfig Config(string yaml, string? sourcePath = null) => new(ConfigLoader.Parse(yaml), sourcePath: sourcePath);

    private static ConfigException Fails(WardenConfig config) => Assert.Throws<ConfigException>(() => IdentitySchemas.Load(config));

    [Fact]
    public void No_schemas_configured_means_the_built_in_default()
    {
        var schemas = IdentitySchemas.Load(new WardenConfig(new JsonObject()));
        Assert.Equal("default", schemas.DefaultSchemaId);
        Assert.Equal(["default"], schemas.All.Select(s => s.Id));
        Assert.Equal("email", JsonKit.AsString(schemas.Default.Document["properties"]!["traits"]!["properties"]!["email"]!["format"]));
    }

    [Fact]
    public void Absolute_file_url_and_default_schema_id()
    {
        var schemas = IdentitySchemas.Load(Config($"""
            identity:
              default_schema_id: phone
              schemas:
                - id: email
                  url: file://{SchemaFixtures.Path("email.schema.json")}
                - id: phone
                  url: file://{SchemaFixtures.Path("phone.schema.json")}
            """));
        Assert.Equal("phone", schemas.DefaultSchemaId);
        Assert.Equal(["email", "phone"], schemas.All.Select(s => s.Id));
        Assert.NotNull(schemas.Find("email"));
        Assert.Null(schemas.Find("Email"));
    }

    [Fact]
    public void Relative_file_url_resolves_against_the_config_file()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "schemas"));
        File.Copy(SchemaFixtures.Path("nested.schema.json"), Path.Combine(_dir, "schemas", "person.json"));
        var schemas = IdentitySchemas.Load(Config("""
            identity:
              schemas:
                - id: default
                  url: file://schemas/person.json
            """, Path.Combine(_dir, "kratos.yml")));
        Assert.Equal("traits.username", schemas.Default.Fields()[0].Name);
    }

    [Fact]
    public void Kratos_repository_relative_paths_resolve_from_a_copied_profile()
    {
        // profiles/email/.kratos.yml names file://test/e2e/profiles/email/identity.json, as in Kratos' repository.
        var profile = Path.Combine(_dir, "profiles", "email");
        Directory.CreateDirectory(profile);
        File.Copy(SchemaFixtures.Path("email.schema.json"), Path.Combine(profile, "identity.json"));
        var other = Path.Combine(_dir, "profiles", "other");
        Directory.CreateDirectory(other);
        File.Copy(SchemaFixtures.Path("phone.schema.json"), Path.Combine(other, "identity.json"));
        var schemas = IdentitySchemas.Load(Config("""
            identity:
              schemas:
                - id: default
                  url: file://test/e2e/profiles/email/identity.json
            """, Path.Combine(other, ".kratos.yml")));
        // The longest existing tail wins: profiles/email/identity.json, not other/identity.json beside the config.
        Assert.Equal("traits.email", schemas.Default.Fields()[0].Name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Base64_url_in_standard_and_url_safe_alphabets(bool urlSafe)
    {
        // A title with characters whose encoding needs '+' and '/' in the standard alphabet.
        var doc = SchemaFixtures.Document("email.schema.json");
        doc["title"] = "Mitglied ?>?>~~~";
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(doc.ToJsonString()));
        Assert.True(b64.Contains('+') || b64.Contains('/'));
        if (urlSafe) b64 = b64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var schemas = IdentitySchemas.Load(Config($"""
            identity:
              schemas:
                - id: default
                  url: base64://{b64}
            """));
        Assert.Equal("Mitglied ?>?>~~~", JsonKit.AsString(schemas.Default.Document["title"]));
    }

    [Fact]
    public void Http_url_is_fetched_once_at_startup()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(File.ReadAllText(SchemaFixtures.Path("phone.schema.json"))),
        });
        var schemas = IdentitySchemas.Load(Config("""
            identity:
              schemas:
                - id: default
                  url: https://schemas.example.org/phone.json
            """), handler);
        Assert.Equal(["https://schemas.example.org/phone.json"], handler.Requests);
        Assert.Equal("traits.phone", schemas.Default.Fields()[0].Name);
    }

    [Fact]
    public void Http_error_status_leaves_the_schema_unavailable_instead_of_stopping_startup()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        var schemas = IdentitySchemas.Load(Config("""
            identity:
              schemas:
                - id: default
                  url: https://schemas.example.org/missing.json
            """), handler);
        Assert.Equal("identity.schemas.0.url", schemas.Default.Source.Key);
        Assert.Contains("404", schemas.Default.Source.Failure);
    }

    [Fact]
    public void Http_document_that_is_not_json_still_stops_startup()
    {
        // The fetch worked; the document is wrong. Retrying would not fix that, so it is a config mistake.
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>") });
        var e = Assert.Throws<ConfigException>(() => IdentitySchemas.Load(Config("""
            identity:
              schemas:
                - id: default
                  url: https://schemas.example.org/page.html
            """), handler));
        Assert.Equal("identity.schemas.0.url", e.Key);
        Assert.Contains("not valid JSON", e.Problem);
    }

    [Theory]
    [InlineData("file:///nonexistent/dir/schema.json", "was not found")]
    [InlineData("base64://!!!notbase64", "not valid base64")]
    [InlineData("base64://eyJub3QiOiAianNvbg", "not valid JSON")]
    [InlineData("ftp://example.org/schema.json", "not a supported scheme")]
    public void Unloadable_urls_name_the_key_and_the_reason(string url, string reason)
    {
        var e = Fails(Config($"""
            identity:
              schemas:
                - id: default
                  url: {url}
            """));
        Assert.Equal("identity.schemas.0.url", e.Key);
        Assert.Contains(reason, e.Problem);
    }

    [Fact]
    public void Schema_breaking_the_meta_rules_stops_startup()
    {
        var e = Fails(Config($"""
            identity:
              schemas:
                - id: default
                  url: file://{SchemaFixtures.Path("email.schema.json")}
                - id: broken
                  url: file://{SchemaFixtures.Path("broken.schema.json")}
            """));
        Assert.Equal("identity.schemas.1.url", e.Key);
        Assert.Contains("not a valid identity schema", e.Problem);
        Assert.Contains("verification/via", e.Problem);
    }

    [Theory]
    [InlineData("identity:\n  default_schema_id: other\n", "identity.default_schema_id")]
    [InlineData("identity:\n  schemas: []\n", "identity.schemas")]
    [InlineData("identity:\n  schemas:\n    - url: base64://e30\n", "identity.schemas.0.id")]
    [InlineData("identity:\n  schemas:\n    - id: default\n", "identity.schemas.0.url")]
    public void Config_shape_problems_name_the_key(string yaml, string key) => Assert.Equal(key, Fails(Config(yaml)).Key);

    [Fact]
    public void Duplicate_ids_and_unknown_default()
    {
        var path = SchemaFixtures.Path("email.schema.json");
        Assert.Equal("identity.schemas.1.id", Fails(Config($"""
            identity:
              schemas:
                - id: default
                  url: file://{path}
                - id: default
                  url: file://{path}
            """)).Key);
        Assert.Equal("identity.default_schema_id", Fails(Config($"""
            identity:
              default_schema_id: customer
              schemas:
                - id: default
                  url: file://{path}
            """)).Key);
    }

    [Fact]
    public void Schemas_from_an_environment_json_string()
    {
        var root = new JsonObject
        {
            ["identity"] = new JsonObject { ["schemas"] = $$"""[{"id":"default","url":"file://{{SchemaFixtures.Path("phone.schema.json")}}"}]""" },
        };
        Assert.Equal("traits.phone", IdentitySchemas.Load(new WardenConfig(root)).Default.Fields()[0].Name);
    }

    [Fact]
    public void Unknown_id_is_a_400_naming_it()
    {
        var e = Assert.Throws<Warden.Http.ApiException>(() => IdentitySchemas.BuiltIn().Get("customer"));
        Assert.Equal(400, e.Code);
        Assert.Contains("customer", e.Reason);
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add(request.RequestUri!.ToString());
            return Task.FromResult(respond(request));
        }
    }
}
