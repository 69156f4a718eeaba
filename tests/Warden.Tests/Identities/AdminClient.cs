using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Identities;

/// <summary>A Warden with the identities test schemas (person = default, team) and cheap bcrypt, plus JSON helpers.</summary>
internal static class AdminClient
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Identities", name);

    public static Task<TestServer> StartAsync(string dialect = "sqlite") => TestServer.StartAsync(dialect, new JsonObject
    {
        ["identity"] = new JsonObject
        {
            ["default_schema_id"] = "person",
            ["schemas"] = new JsonArray(
                new JsonObject { ["id"] = "person", ["url"] = "file://" + Fixture("person.schema.json") },
                new JsonObject { ["id"] = "team", ["url"] = "file://" + Fixture("team.schema.json") }),
        },
        ["hashers"] = new JsonObject { ["algorithm"] = "bcrypt", ["bcrypt"] = new JsonObject { ["cost"] = 4 } },
    });

    public static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        this HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var req = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? (body as JsonNode)!.ToJsonString();
            req.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }
        var res = await http.SendAsync(req);
        var raw = await res.Content.ReadAsStringAsync();
        return (res.StatusCode, raw.Length == 0 ? null : JsonNode.Parse(raw), res);
    }

    public static async Task<JsonObject> CreateAsync(this HttpClient http, JsonObject body)
    {
        var (status, json, _) = await http.SendAsync(HttpMethod.Post, "/admin/identities", body);
        Assert.True(status == HttpStatusCode.Created, $"create failed: {status} {json?.ToJsonString()}");
        return json!.AsObject();
    }

    public static JsonObject Person(string email, string? password = null, string? externalId = null)
    {
        var o = new JsonObject { ["schema_id"] = "person", ["traits"] = new JsonObject { ["email"] = email } };
        if (password is not null)
            o["credentials"] = new JsonObject { ["password"] = new JsonObject { ["config"] = new JsonObject { ["password"] = password } } };
        if (externalId is not null) o["external_id"] = externalId;
        return o;
    }

    /// <summary>The Kratos error shape with this status code.</summary>
    public static void AssertError(HttpStatusCode expected, (HttpStatusCode Status, JsonNode? Body, HttpResponseMessage _) r)
    {
        Assert.True(r.Status == expected, $"expected {(int)expected}, got {(int)r.Status}: {r.Body?.ToJsonString()}");
        var error = r.Body?["error"] as JsonObject;
        Assert.NotNull(error);
        Assert.Equal((int)expected, error["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(error["status"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(error["message"]?.GetValue<string>()));
    }

    public static string[] Keys(JsonNode? node) => node!.AsObject().Select(kv => kv.Key).ToArray();
}
