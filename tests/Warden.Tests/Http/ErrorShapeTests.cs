using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Http;

/// <summary>Every port answers unknown routes, wrong methods and oversize bodies in the Kratos error shape.</summary>
public sealed class ErrorShapeTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<JsonObject> AssertErrorShape(HttpResponseMessage response, int code)
    {
        Assert.Equal(code, (int)response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var error = body["error"]!.AsObject();
        Assert.Equal(code, (int)error["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["status"]));
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        return error;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Unknown_route_is_404_in_error_shape(bool admin)
    {
        var client = admin ? _server.Admin : _server.Public;
        await AssertErrorShape(await client.GetAsync("/definitely/not/here"), 404);
    }

    [Fact]
    public async Task Wrong_method_is_405_in_error_shape()
    {
        await AssertErrorShape(await _server.Public.DeleteAsync("/health/alive"), 405);
    }

    [Fact]
    public async Task Oversize_body_is_413_in_error_shape()
    {
        var big = new ByteArrayContent(new byte[WardenHost.MaxRequestBodyBytes + 1]);
        big.Headers.ContentType = new("application/json");
        // Expect: 100-continue lets the server refuse before the client uploads 5 MB it would then reset.
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/identities") { Content = big };
        request.Headers.ExpectContinue = true;
        await AssertErrorShape(await _server.Admin.SendAsync(request), 413);
    }

    [Fact]
    public async Task Health_endpoints_answer_on_both_ports()
    {
        foreach (var client in new[] { _server.Public, _server.Admin })
        {
            var alive = await client.GetAsync("/health/alive");
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            Assert.Equal("ok", (string?)JsonNode.Parse(await alive.Content.ReadAsStringAsync())!["status"]);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }
        var version = JsonNode.Parse(await (await _server.Admin.GetAsync("/version")).Content.ReadAsStringAsync())!;
        Assert.False(string.IsNullOrEmpty((string?)version["version"]));
    }

    [Fact]
    public async Task Errors_do_not_leak_internals()
    {
        var response = await _server.Public.GetAsync("/%00%ff/../../etc/passwd");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain(" at ", text);
    }
}
