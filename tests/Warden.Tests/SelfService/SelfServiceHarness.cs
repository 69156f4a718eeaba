using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.SelfService;

/// <summary>
/// A Warden configured like the seeds' quickstart (person schema, password method, session hook after
/// registration) plus small helpers for the three client kinds: HTML browser, SPA (JSON + cookies), native.
/// </summary>
internal static class SelfServiceHarness
{
    public const string UiBase = "http://ui.warden.test";
    public const string Password = "correct-Horse-battery-9";

    public static JsonObject Config(bool sessionHook = true, Action<JsonObject>? tweak = null)
    {
        var schema = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures/SelfService/person.schema.json"));
        var after = new JsonObject();
        if (sessionHook) after["password"] = new JsonObject { ["hooks"] = new JsonArray(new JsonObject { ["hook"] = "session" }) };
        var root = new JsonObject
        {
            ["identity"] = new JsonObject
            {
                ["default_schema_id"] = "person",
                ["schemas"] = new JsonArray(new JsonObject
                {
                    ["id"] = "person",
                    ["url"] = "base64://" + Convert.ToBase64String(Encoding.UTF8.GetBytes(schema)),
                }),
            },
            ["selfservice"] = new JsonObject
            {
                ["default_browser_return_url"] = UiBase + "/welcome",
                ["allowed_return_urls"] = new JsonArray(UiBase + "/dashboard", "https://*.example.org/"),
                ["methods"] = new JsonObject
                {
                    // Tests never reach the internet; the breach check has its own test against a local fake.
                    ["password"] = new JsonObject { ["config"] = new JsonObject { ["haveibeenpwned_enabled"] = false } },
                },
                ["flows"] = new JsonObject
                {
                    ["login"] = new JsonObject { ["ui_url"] = UiBase + "/login" },
                    ["registration"] = new JsonObject { ["ui_url"] = UiBase + "/registration", ["after"] = after },
                    ["error"] = new JsonObject { ["ui_url"] = UiBase + "/error" },
                },
            },
            ["secrets"] = new JsonObject { ["cookie"] = new JsonArray("a-cookie-secret-of-32-characters!"), ["default"] = new JsonArray("a-default-secret-of-32-characters") },
        };
        tweak?.Invoke(root);
        return root;
    }

    public static Task<TestServer> StartAsync(string dialect, bool sessionHook = true, Action<JsonObject>? tweak = null) =>
        TestServer.StartAsync(dialect, Config(sessionHook, tweak));

    public static HttpRequestMessage Get(string url, bool json)
    {
        var r = new HttpRequestMessage(HttpMethod.Get, url);
        r.Headers.Accept.ParseAdd(json ? "application/json" : "text/html");
        return r;
    }

    public static HttpRequestMessage PostJson(string url, JsonObject body, bool acceptJson = true)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (acceptJson) r.Headers.Accept.ParseAdd("application/json");
        return r;
    }

    public static HttpRequestMessage PostForm(string url, params (string Key, string Value)[] fields)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        r.Headers.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
        return r;
    }

    public static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) as JsonObject ?? throw new Xunit.Sdk.XunitException("not a JSON object: " + text);
    }

    public static async Task<JsonObject> ExpectJson(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }

    /// <summary>A native flow of this kind (login/registration).</summary>
    public static async Task<JsonObject> NativeFlow(TestServer s, string kind) =>
        await ExpectJson(await s.Public.GetAsync($"/self-service/{kind}/api"), HttpStatusCode.OK);

    /// <summary>A browser flow fetched as an SPA; the client's cookie jar now holds the CSRF cookie.</summary>
    public static async Task<JsonObject> SpaFlow(HttpClient browser, string kind, string query = "") =>
        await ExpectJson(await browser.SendAsync(Get($"/self-service/{kind}/browser{query}", json: true)), HttpStatusCode.OK);

    public static string Csrf(JsonObject flow) => Node(flow, "csrf_token")!["attributes"]!["value"]!.GetValue<string>();

    public static string Action(JsonObject flow) => flow["ui"]!["action"]!.GetValue<string>();

    public static JsonObject? Node(JsonObject flow, string name) =>
        flow["ui"]!["nodes"]!.AsArray().OfType<JsonObject>().FirstOrDefault(n => n["attributes"]!["name"]!.GetValue<string>() == name);

    public static IEnumerable<int> NodeMessageIds(JsonObject flow, string name) =>
        Node(flow, name)!["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<int>());

    public static IEnumerable<int> FlowMessageIds(JsonObject flow) =>
        (flow["ui"]!["messages"] as JsonArray ?? []).Select(m => m!["id"]!.GetValue<int>());

    public static string Email() => $"user-{Guid.NewGuid():N}@example.com";

    /// <summary>Registers through a native flow; returns the response JSON.</summary>
    public static async Task<JsonObject> RegisterNative(TestServer s, string email, string password = Password)
    {
        var flow = await NativeFlow(s, "registration");
        var r = await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = email, ["password"] = password, ["method"] = "password",
        }));
        return await ExpectJson(r, HttpStatusCode.OK);
    }

    public static string? SetCookie(HttpResponseMessage r, string namePrefix) =>
        r.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith(namePrefix)) : null;

    public static CacheControlHeaderValue? CacheControl(HttpResponseMessage r) => r.Headers.CacheControl;
}
