using System.Net;
using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Schemas;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Schemas;

public sealed class SchemaEndpointTests
{
    private static JsonObject TwoSchemas() => ConfigLoader.Parse($"""
        identity:
          default_schema_id: default
          schemas:
            - id: default
              url: file://{SchemaFixtures.Path("email.schema.json")}
            - id: phone user
              url: file://{SchemaFixtures.Path("phone.schema.json")}
        """);

    private static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task List_returns_id_and_schema_on_both_ports()
    {
        await using var server = await TestServer.StartAsync(config: TwoSchemas());
        foreach (var client in new[] { server.Public, server.Admin })
        {
            var response = await client.GetAsync("/schemas");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var list = (await Json(response)).AsArray();
            Assert.Equal(["default", "phone user"], list.Select(e => (string)e!["id"]!));
            Assert.Equal("Member", (string?)list[0]!["schema"]!["title"]);
            Assert.Equal("2", response.Headers.GetValues("X-Total-Count").Single());
        }
    }

    [Fact]
    public async Task List_pages_with_page_size_and_token()
    {
        await using var server = await TestServer.StartAsync(config: TwoSchemas());
        var first = await server.Public.GetAsync("/schemas?page_size=1");
        Assert.Equal(["default"], (await Json(first)).AsArray().Select(e => (string)e!["id"]!));
        var link = first.Headers.GetValues("Link").Single();
        var next = link.Split(',').Single(l => l.Contains("rel=\"next\""));
        var nextUrl = new Uri(next[(next.IndexOf('<') + 1)..next.IndexOf('>')]);
        var second = await server.Public.GetAsync(nextUrl.PathAndQuery);
        Assert.Equal(["phone user"], (await Json(second)).AsArray().Select(e => (string)e!["id"]!));
        Assert.DoesNotContain("rel=\"next\"", second.Headers.GetValues("Link").Single());

        var legacy = await server.Public.GetAsync("/schemas?per_page=1&page=1");
        Assert.Equal(["phone user"], (await Json(legacy)).AsArray().Select(e => (string)e!["id"]!));

        var bad = await server.Public.GetAsync("/schemas?page_size=abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(400, (int)(await Json(bad))["error"]!["code"]!);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("ZGVmYXVsdA")]
    public async Task Get_by_raw_or_base64url_id_returns_the_raw_schema(string id)
    {
        await using var server = await TestServer.StartAsync(config: TwoSchemas());
        var response = await server.Public.GetAsync("/schemas/" + id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonKit.DeepEquals(SchemaFixtures.Document("email.schema.json"), await Json(response)));
    }

    [Fact]
    public async Task Schema_url_points_at_a_working_endpoint()
    {
        await using var server = await TestServer.StartAsync(config: TwoSchemas());
        var schema = server.Service<IdentitySchemas>().Get("phone user");
        var url = schema.Url(server.Service<BaseUrls>());
        Assert.Equal(server.Host.Urls.Public + "schemas/cGhvbmUgdXNlcg", url);
        var response = await server.Public.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal("Mobile number", (string?)(await Json(response))["properties"]!["traits"]!["properties"]!["phone"]!["title"]);
    }

    [Fact]
    public async Task Unknown_id_is_a_404_in_the_error_shape()
    {
        await using var server = await TestServer.StartAsync(config: TwoSchemas());
        var response = await server.Public.GetAsync("/schemas/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await Json(response))["error"]!;
        Assert.Equal(404, (int)error["code"]!);
        Assert.Equal("Not Found", (string?)error["status"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }

    [Fact]
    public async Task Without_configuration_the_built_in_default_is_served()
    {
        await using var server = await TestServer.StartAsync();
        var list = (await Json(await server.Public.GetAsync("/schemas"))).AsArray();
        Assert.Equal("default", (string?)Assert.Single(list)!["id"]);
    }
}
