using System.Net;
using System.Text.Json.Nodes;
using Warden.Http.Flows;
using Warden.Http.Csrf;
using Warden.Config;
using Warden.Tests.Support;
using Warden.Ui;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.SelfService;

/// <summary>Unit checks of the wire pieces, plus comparisons with Kratos' reference files when ../shared is present.</summary>
public sealed class WireReferenceTests
{
    [Fact]
    public void Message_catalog_matches_kratos_ids_types_and_context_keys()
    {
        // One factory per message: an id repeats only with a different text (too many attempts reuses the invalid-code id).
        Assert.Equal(Messages.Samples().Count, Messages.Samples().Select(m => (m.Id, m.Text)).Distinct().Count());
        Assert.Equal([4060006, 4070006], Messages.Samples().GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => g.Key).Order());
        if (!Shared.Available) return;
        var rows = File.ReadAllLines(Shared.Path("message-ids.tsv")).Skip(1).Select(l => l.Split('\t'))
            .ToDictionary(c => int.Parse(c[0]), c => (Type: c[1], Keys: c.Length > 3 ? c[3] : ""));
        foreach (var m in Messages.Samples())
        {
            Assert.True(rows.ContainsKey(m.Id), $"{m.Id} is not a Kratos message id");
            Assert.Equal(rows[m.Id].Type, m.Type);
            var keys = rows[m.Id].Keys.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            foreach (var k in m.Context?.Select(p => p.Key) ?? []) Assert.Contains(k, keys);
        }
    }

    [Theory]
    [InlineData("http://ui.warden.test/dashboard", true)]
    [InlineData("http://ui.warden.test/dashboard/a/b?x=1", true)]
    [InlineData("http://ui.warden.test/dashboard-evil", false)]
    [InlineData("http://ui.warden.test/dashboard/../admin", false)]
    [InlineData("https://ui.warden.test/dashboard", false)]
    [InlineData("http://ui.warden.test:8080/dashboard", false)]
    [InlineData("https://app.example.org/anything", true)]
    [InlineData("https://a.b.example.org/", true)]
    [InlineData("https://example.org/", false)]
    [InlineData("https://evilexample.org/", false)]
    [InlineData("https://ui.warden.test@evil.com/dashboard", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("//evil.com", false)]
    [InlineData("/welcome/next", true)]
    public void Return_to_matches_by_url_components(string url, bool allowed)
    {
        var v = new ReturnToValidator([UiBase + "/dashboard", "https://*.example.org/"], new BaseUrls(), () => UiBase + "/welcome");
        Assert.Equal(allowed, v.IsAllowed(url));
    }

    [Theory]
    [InlineData("http://ui.warden.test/app", true)]
    [InlineData("http://ui.warden.test/app/settings", true)]
    [InlineData("/app/settings", true)]
    [InlineData("http://ui.warden.test/app-evil", false)]
    [InlineData("http://other.test/app", false)]
    public void Path_only_entries_apply_to_the_default_return_origin(string url, bool allowed)
    {
        var v = new ReturnToValidator(["/app"], new BaseUrls(), () => UiBase + "/welcome");
        Assert.Equal(allowed, v.IsAllowed(url));
    }

    [Fact]
    public void Csrf_masks_differ_per_render_and_verify_only_against_their_token()
    {
        var raw = new byte[32];
        Random.Shared.NextBytes(raw);
        var a = CsrfTokens.Mask(raw);
        var b = CsrfTokens.Mask(raw);
        Assert.NotEqual(a, b);
        Assert.True(CsrfTokens.Verify(raw, a));
        Assert.True(CsrfTokens.Verify(raw, b));
        var other = (byte[])raw.Clone();
        other[0] ^= 1;
        Assert.False(CsrfTokens.Verify(other, a));
        Assert.False(CsrfTokens.Verify(raw, "not base64!"));
        Assert.False(CsrfTokens.Verify(raw, ""));
        Assert.False(CsrfTokens.Verify(null, a));
    }

    [Fact]
    public void Password_similarity()
    {
        Assert.True(Warden.Methods.Password.PasswordPolicy.TooSimilar("jane.doe@example.com", "jane.doe1"));
        Assert.True(Warden.Methods.Password.PasswordPolicy.TooSimilar("janedoe", "JaneDoe2024"));
        Assert.False(Warden.Methods.Password.PasswordPolicy.TooSimilar("jane.doe@example.com", "correct-Horse-battery-9"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Login_and_registration_nodes_match_kratos_snapshots(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var login = await NativeFlow(s, "login");
        var registration = await NativeFlow(s, "registration");
        // Our own expectation first (works without ../shared), then the Kratos snapshot's shape.
        Assert.Equal(["csrf_token", "identifier", "password", "method"], Names(login));
        if (!Shared.Available) return;
        var snapshot = JsonNode.Parse(File.ReadAllText(Shared.Path(
            "snapshots/selfservice_strategy_password__TestFormHydration-method=PopulateLoginMethodFirstFactor.json")))!.AsArray();
        foreach (var expected in snapshot.OfType<JsonObject>())
        {
            var name = expected["attributes"]!["name"]!.GetValue<string>();
            var actual = Node(login, name)!;
            Assert.Equal(expected["group"]!.GetValue<string>(), actual["group"]!.GetValue<string>());
            foreach (var key in new[] { "type", "required", "autocomplete", "disabled", "node_type" })
                Assert.Equal(expected["attributes"]![key]?.ToJsonString(), actual["attributes"]![key]?.ToJsonString());
            Assert.Equal(expected["meta"]!["label"]?["id"]?.GetValue<int>(), actual["meta"]!["label"]?["id"]?.GetValue<int>());
        }
        var reg = JsonNode.Parse(File.ReadAllText(Shared.Path(
            "snapshots/selfservice_strategy_password__TestPopulateRegistrationMethod-method=PopulateRegistrationMethod.json")))!;
        var regNodes = (reg as JsonArray ?? reg["ui"]!["nodes"]!.AsArray()).OfType<JsonObject>();
        foreach (var expected in regNodes)
        {
            var actual = Node(registration, expected["attributes"]!["name"]!.GetValue<string>())!;
            Assert.Equal(expected["group"]!.GetValue<string>(), actual["group"]!.GetValue<string>());
            Assert.Equal(expected["attributes"]!["type"]!.GetValue<string>(), actual["attributes"]!["type"]!.GetValue<string>());
            Assert.Equal(expected["meta"]!["label"]?["id"]?.GetValue<int>(), actual["meta"]!["label"]?["id"]?.GetValue<int>());
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Flow_json_has_the_required_api_fields(string dialect)
    {
        await using var s = await StartAsync(dialect);
        foreach (var kind in new[] { "login", "registration" })
        {
            var flow = await NativeFlow(s, kind);
            foreach (var field in new[] { "id", "type", "expires_at", "issued_at", "request_url", "ui", "state" })
                Assert.NotNull(flow[field]);
            Assert.Equal("POST", flow["ui"]!["method"]!.GetValue<string>());
            foreach (var n in flow["ui"]!["nodes"]!.AsArray())
                foreach (var field in new[] { "type", "group", "attributes", "messages", "meta" })
                    Assert.NotNull(n![field]);
        }
        if (!Shared.Available) return;
        var api = JsonNode.Parse(File.ReadAllText(Shared.Path("api.json")))!;
        foreach (var (kind, schema) in new[] { ("login", "loginFlow"), ("registration", "registrationFlow") })
        {
            var flow = await NativeFlow(s, kind);
            foreach (var req in api["components"]!["schemas"]![schema]!["required"]!.AsArray())
                Assert.NotNull(flow[req!.GetValue<string>()]);
        }
    }

    private static List<string> Names(JsonObject flow) =>
        flow["ui"]!["nodes"]!.AsArray().Select(n => n!["attributes"]!["name"]!.GetValue<string>()).ToList();
}
