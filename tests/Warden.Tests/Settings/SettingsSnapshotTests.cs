using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Settings.SettingsHarness;

namespace Warden.Tests.Settings;

/// <summary>
/// The settings form generated from a schema with every input kind, against our own expectation and, when
/// ../shared is present, against the node structure of Kratos' settings init snapshots.
/// </summary>
public sealed class SettingsSnapshotTests
{
    private static readonly string[] Expected =
    [
        "default|csrf_token|hidden|True|", "profile|traits.email|text||", "profile|traits.name|email||email",
        "profile|traits.stringy|text||", "profile|traits.numby|number||", "profile|traits.booly|checkbox||",
        "profile|traits.should_big_number|number||", "profile|traits.should_long_string|text||", "profile|method|submit||",
        "password|password|password|True|new-password", "password|method|submit||",
    ];

    private static string Shape(JsonNode n) =>
        $"{n["group"]}|{n["attributes"]!["name"]}|{n["attributes"]!["type"]}|{n["attributes"]!["required"]?.GetValue<bool>()}|{n["attributes"]!["autocomplete"]}";

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Form_nodes_follow_the_schema_like_kratos(string dialect)
    {
        var schema = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures/Settings/profile.schema.json"));
        var name = Email();
        await using var k = await TestServer.StartAsync(dialect, SelfService.SelfServiceHarness.Config(tweak: root =>
        {
            root["identity"] = new JsonObject
            {
                ["default_schema_id"] = "profile",
                ["schemas"] = new JsonArray(new JsonObject { ["id"] = "profile", ["url"] = "base64://" + Convert.ToBase64String(Encoding.UTF8.GetBytes(schema)) }),
            };
            root["selfservice"]!["flows"]!["settings"] = new JsonObject { ["ui_url"] = UiBase + "/settings" };
        }));
        var identity = await ExpectJson(await k.Admin.SendAsync(PostJson("/admin/identities", new JsonObject
        {
            ["traits"] = new JsonObject { ["email"] = "plain text", ["name"] = name, ["numby"] = 3, ["booly"] = true },
            ["credentials"] = new JsonObject { ["password"] = new JsonObject { ["config"] = new JsonObject { ["password"] = Password } } },
        })), HttpStatusCode.Created);
        var token = await LoginNative(k, name, Password);
        Assert.NotNull(token);
        var flow = await NativeSettingsFlow(k, token!);
        Assert.Equal(identity["id"]!.ToString(), flow["identity"]!["id"]!.ToString());
        var shapes = flow["ui"]!["nodes"]!.AsArray().Select(n => Shape(n!)).ToList();
        Assert.Equal(Expected, shapes);
        Assert.Equal("3", Value(flow, "traits.numby"));
        Assert.Equal("true", Value(flow, "traits.booly"));

        if (!Shared.Available) return;
        foreach (var file in new[]
        {
            "selfservice_flow_settings__TestHandler-endpoint=init-description=init_a_flow_as_API-description=success.json",
            "selfservice_flow_settings__TestHandler-case=multi-schema_endpoint=init-description=init_a_flow_as_browser-description=success.json",
        })
        {
            var snapshot = JsonNode.Parse(File.ReadAllText(Shared.Path("snapshots/" + file)))!.AsArray();
            Assert.Equal(snapshot.Select(n => Shape(n!)).ToList(), shapes);
            // Labels: both submit buttons say "Save" (1070003), the password field 1070001.
            foreach (var (expected, actual) in snapshot.Zip(flow["ui"]!["nodes"]!.AsArray(), (a, b) => (a, b)))
                Assert.Equal(expected!["meta"]!["label"]?["id"]?.GetValue<int>(), actual!["meta"]!["label"]?["id"]?.GetValue<int>());
        }
    }
}
