using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Warden.Schemas;
using Warden.Tests.SelfService;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Schemas;

/// <summary>
/// A server whose default schema lives on an unreachable host starts and is ready; every request that needs
/// the schema answers 503 in the Kratos error shape; once the host answers and the retry interval has
/// passed, the same server works without a restart.
/// </summary>
public sealed class SchemaOutageHostTests
{
    private static readonly string Person = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures/SelfService/person.schema.json"));

    [Fact]
    public async Task Unreachable_default_schema_answers_503_until_it_can_be_fetched()
    {
        await using var schemaHost = new LocalSchemaServer(_ => (502, "{}"));
        var config = SelfServiceHarness.Config(tweak: root =>
            root["identity"]!["schemas"]![0]!["url"] = schemaHost.Url("/person.json"));
        await using var server = await TestServer.StartAsync(config: config);
        // The startup attempt was timed by the system clock; from a snapshot taken after it, only the manual
        // advance below can cross the retry interval.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        server.Service<IdentitySchemas>().Fetcher!.Clock = clock;

        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync("/health/ready")).StatusCode);
        await Expect503(await server.Public.GetAsync("/self-service/registration/api"));
        await Expect503(await server.Admin.PostAsJsonAsync("/admin/identities",
            new JsonObject { ["schema_id"] = "person", ["traits"] = new JsonObject { ["email"] = "a@example.org" } }));
        await Expect503(await server.Public.GetAsync("/schemas/person"));
        await Expect503(await server.Admin.GetAsync("/schemas"));
        Assert.Equal(1, schemaHost.Requests); // only the startup attempt: retries wait for the interval

        schemaHost.Respond = _ => (200, Person);
        clock.Advance(SchemaFetcher.DefaultRetryInterval);
        var flow = await server.Public.GetAsync("/self-service/registration/api");
        Assert.True(flow.StatusCode == HttpStatusCode.OK, await flow.Content.ReadAsStringAsync());
        Assert.Contains("traits.email", await flow.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await server.Public.GetAsync("/schemas/person")).StatusCode);
        Assert.Equal(2, schemaHost.Requests);
    }

    private static async Task Expect503(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal(503, (int)error["code"]!);
        Assert.Contains("could not be loaded", (string?)error["reason"]);
        Assert.Contains("HTTP 502", (string?)error["reason"]);
        Assert.DoesNotContain(" at Warden.", body); // no stack trace
    }
}
