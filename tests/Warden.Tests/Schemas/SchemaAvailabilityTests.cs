using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Http;
using Warden.Schemas;
using Xunit;

namespace Warden.Tests.Schemas;

/// <summary>
/// Remote schemas and external <c>$ref</c>s: an outage makes a schema unavailable (503 on use, retried at
/// most once per interval) instead of stopping startup; mistakes in what is configured still stop it. Only the
/// asynchronous step (<c>GetReadyAsync</c>, <c>EnsureReadyAsync</c>) fetches; the synchronous members never do.
/// </summary>
public sealed class SchemaAvailabilityTests
{
    private static readonly string Phone = File.ReadAllText(SchemaFixtures.Path("phone.schema.json"));

    private static WardenConfig Config(string url, bool disallowPrivate = false) => new(ConfigLoader.Parse($"""
        clients:
          http:
            disallow_private_ip_ranges: {(disallowPrivate ? "true" : "false")}
        identity:
          default_schema_id: remote
          schemas:
            - id: remote
              url: {url}
        """));

    private static ApiException Unavailable(Action use)
    {
        var e = Assert.Throws<ApiException>(use);
        Assert.Equal(503, e.Code);
        Assert.Contains("could not be loaded", e.Message);
        return e;
    }

    private static async Task<ApiException> UnavailableAsync(Func<ValueTask> use)
    {
        var e = await Assert.ThrowsAsync<ApiException>(async () => await use());
        Assert.Equal(503, e.Code);
        Assert.Contains("could not be loaded", e.Message);
        return e;
    }

    [Fact]
    public async Task Unreachable_schema_is_unavailable_and_heals_after_the_retry_interval()
    {
        await using var server = new LocalSchemaServer(_ => (503, "{}"));
        var clock = new ManualClock();
        var schemas = SchemaLoader.Load(Config(server.Url("/phone.json")), clock);
        var schema = schemas.Default;
        Assert.Equal(1, server.Requests);

        // Failed just now (by the manual clock): every use answers 503 without asking the server again.
        var e = await UnavailableAsync(() => schema.EnsureReadyAsync());
        Assert.Contains("\"remote\"", e.Reason);
        Assert.Contains("HTTP 503", e.Reason);
        await UnavailableAsync(() => schema.EnsureDocumentAsync());
        Unavailable(() => schema.Validate(new JsonObject()));
        Unavailable(() => schema.Extract(new JsonObject()));
        Unavailable(() => schema.Fields());
        Assert.Contains("HTTP 503", Unavailable(() => _ = schema.Document).Reason);
        Assert.Equal(1, server.Requests);

        server.Respond = _ => (200, Phone);
        clock.Advance(SchemaFetcher.DefaultRetryInterval - TimeSpan.FromSeconds(1));
        await UnavailableAsync(() => schema.EnsureReadyAsync());
        Assert.Equal(1, server.Requests);

        // The synchronous members never fetch, even once the interval has passed.
        clock.Advance(TimeSpan.FromSeconds(1));
        Unavailable(() => schema.Fields());
        Assert.Equal(1, server.Requests);
        Assert.Same(schema, await schemas.GetReadyAsync("remote", default));
        Assert.Equal("traits.phone", schema.Fields()[0].Name);
        Assert.Empty(schema.Validate(new JsonObject { ["phone"] = "+4915112345678" }));
        Assert.Null(schema.Source.Failure);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Private_address_is_refused_when_configured_and_the_schema_is_unavailable()
    {
        // Port 9 on loopback: the refusal happens before any connection, so nothing has to listen there.
        var schemas = IdentitySchemas.Load(Config("http://127.0.0.1:9/schema.json", disallowPrivate: true));
        Assert.Contains("private", schemas.Default.Source.Failure);
        Assert.Contains("private", Unavailable(() => schemas.Default.Validate(new JsonObject())).Reason);
        Assert.Contains("private", (await UnavailableAsync(() => schemas.Default.EnsureReadyAsync())).Reason);
    }

    [Fact]
    public async Task External_ref_is_fetched_on_first_use_and_cached()
    {
        await using var server = new LocalSchemaServer(_ => (200, """{"definitions":{"site":{"type":"string","minLength":5}}}"""));
        var schemas = IdentitySchemas.Load(Config(Base64(WithWebsiteRef(server.Url("/defs.json#/definitions/site")))));
        Assert.Equal(0, server.Requests); // loading does not reach out
        Assert.Contains("not been loaded", Unavailable(() => schemas.Default.Fields()).Reason); // nor does a synchronous use
        Assert.Equal(0, server.Requests);

        await schemas.Default.EnsureReadyAsync();
        await schemas.Default.EnsureReadyAsync();
        var errors = schemas.Default.Validate(new JsonObject { ["email"] = "a@example.org", ["website"] = "x" });
        Assert.Equal(4000003, Assert.Single(errors, e => e.Path == "traits.website").MessageId);
        Assert.Contains(schemas.Default.Fields(), f => f.Name == "traits.website" && f.MinLength == 5);
        Assert.Empty(schemas.Default.Validate(new JsonObject { ["email"] = "a@example.org", ["website"] = "example.org" }));
        Assert.Equal(1, server.Requests);
        // The raw document keeps the reference as configured.
        Assert.StartsWith("http://127.0.0.1:", (string?)schemas.Default.Document["properties"]!["traits"]!["properties"]!["website"]!["$ref"]);
    }

    [Fact]
    public async Task Concurrent_uses_wait_for_one_fetch()
    {
        using var release = new ManualResetEventSlim();
        await using var server = new LocalSchemaServer(_ =>
        {
            release.Wait(TimeSpan.FromSeconds(10));
            return (200, """{"definitions":{"site":{"type":"string"}}}""");
        });
        var schemas = IdentitySchemas.Load(Config(Base64(WithWebsiteRef(server.Url("/defs.json#/definitions/site")))));
        var uses = Enumerable.Range(0, 5).Select(_ => schemas.GetReadyAsync("remote", default).AsTask()).ToList();
        // None of them completes while the one fetch is held at the server.
        await Task.Delay(200);
        Assert.All(uses, u => Assert.False(u.IsCompleted));
        release.Set();
        Assert.All(await Task.WhenAll(uses), s => Assert.Same(schemas.Default, s));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task External_ref_to_a_private_address_is_refused_when_configured()
    {
        await using var server = new LocalSchemaServer(_ => (200, """{"type":"string"}"""));
        var schemas = IdentitySchemas.Load(Config(Base64(WithWebsiteRef(server.Url("/site.json"))), disallowPrivate: true));
        var e = await UnavailableAsync(() => schemas.Default.EnsureReadyAsync());
        Assert.Contains("private", e.Reason);
        Assert.Equal(0, server.Requests);
        // The document itself loaded, so GET /schemas/{id} can still serve it as Kratos does.
        Assert.NotNull(schemas.Default.Document);
    }

    [Fact]
    public async Task External_ref_to_a_document_without_the_pointer_is_unavailable()
    {
        await using var server = new LocalSchemaServer(_ => (200, """{"definitions":{}}"""));
        var schemas = IdentitySchemas.Load(Config(Base64(WithWebsiteRef(server.Url("/defs.json#/definitions/site")))));
        Assert.Contains("does not point at anything", (await UnavailableAsync(() => schemas.Default.EnsureReadyAsync())).Reason);
        // The failure stands for the retry interval: the synchronous members report it.
        Assert.Contains("does not point at anything", Unavailable(() => schemas.Default.Fields()).Reason);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void External_ref_that_is_not_http_stops_startup()
    {
        var e = Assert.Throws<ConfigException>(() => IdentitySchemas.Load(Config(Base64(WithWebsiteRef("other.json#/site")))));
        Assert.Equal("identity.schemas.0.url", e.Key);
        Assert.Contains("nor an http(s) URL", e.Problem);
    }

    private static JsonObject WithWebsiteRef(string reference)
    {
        var doc = SchemaFixtures.Document("email.schema.json");
        doc["properties"]!["traits"]!["properties"]!.AsObject()["website"] = new JsonObject { ["$ref"] = reference };
        return doc;
    }

    private static string Base64(JsonObject doc) =>
        "base64://" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString()));
}
