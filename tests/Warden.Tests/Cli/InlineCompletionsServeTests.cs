using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Tests.Schemas;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Cli;

/// <summary>
/// <c>serve</c> as its own process with the runtime's inline socket completions on
/// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, a setting operators use to save thread hand-offs) and one
/// socket thread (<c>DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=1</c>, what a one-core machine gets in that mode). A
/// registration flow is created right after a PostgreSQL read, so it runs on that socket thread, and its schema's
/// external <c>$ref</c> is fetched there for the first time. A synchronous wait for that fetch would hold the thread
/// its own completion needs: the request would hang until the fetch timed out and answer 503 (it did, 10 s, before
/// schema fetches became awaited).
/// </summary>
public sealed class InlineCompletionsServeTests
{
    [Fact]
    public async Task Schema_ref_fetched_on_the_socket_thread_after_a_database_read_completes()
    {
        await using var defs = new LocalSchemaServer(_ => (200, """{"definitions":{"site":{"type":"string","minLength":5}}}"""));
        var schema = JsonNode.Parse(File.ReadAllText(SchemaFixtures.Path("email.schema.json")))!.AsObject();
        schema["properties"]!["traits"]!["properties"]!.AsObject()["website"] = new JsonObject { ["$ref"] = defs.Url("/defs.json#/definitions/site") };
        var dir = Directory.CreateTempSubdirectory("warden-inline-");
        int pub = Ports.Free(), admin = Ports.Free();
        var config = Path.Combine(dir.FullName, "kratos.yml");
        await File.WriteAllTextAsync(config, $"""
            serve:
              public: {"{"} port: {pub} {"}"}
              admin: {"{"} port: {admin} {"}"}
            secrets:
              default: ["inline-completions-test-secret"]
            identity:
              default_schema_id: default
              schemas:
                - id: default
                  url: base64://{Convert.ToBase64String(Encoding.UTF8.GetBytes(schema.ToJsonString()))}
            log:
              level: warning
            """);
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Warden.Server"), ["serve", "-c", config, "--migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DSN"] = TestDb.NewDsn("postgres");
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = "1";
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
        using var server = Process.Start(start)!;
        var output = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{pub}/"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(http, server, output);
            Assert.Equal(0, defs.Requests); // the ref has not been fetched yet

            // A well-formed but unknown token: the session lookup reads PostgreSQL (and finds nothing) before the flow is made.
            using var create = new HttpRequestMessage(HttpMethod.Get, "self-service/registration/api");
            create.Headers.Add("X-Session-Token", "ory_st_" + new string('a', 32));
            var clock = Stopwatch.StartNew();
            using var response = await http.SendAsync(create);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} after {clock.ElapsedMilliseconds} ms: {body}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the flow took {clock.ElapsedMilliseconds} ms");
            Assert.Equal(1, defs.Requests);
            // The resolved ref shapes the form: the website field carries the referenced minLength.
            Assert.Contains("traits.website", body);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Process server, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) Assert.Fail($"serve exited with {server.ExitCode}: {output}");
            try
            {
                if ((await http.GetAsync("health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail($"serve did not become ready: {output}");
    }
}
