using System.Text.Json.Nodes;
using Warden.Methods;
using Warden.Methods.Code;
using Warden.Methods.Link;
using Warden.SelfService.Verification;
using Warden.Tests.Support;
using Warden.Ui;
using Xunit;

namespace Warden.Tests.Verification;

/// <summary>
/// Verification/recovery wire details without a server: message ids, node layouts per method and state (our
/// fixed expectations, and Kratos' snapshots when ../shared is present), and the one-time secrets.
/// </summary>
public sealed class AddressWireTests
{
    private static readonly AddressFlowOptions Options = new(new AddressFlowConfig(), new AddressFlowConfig(), new AddressMethodConfig(), new AddressMethodConfig());

    private static IAddressFlowMethod Method(string id) => id == "code" ? new CodeAddressMethod(Options) : new LinkAddressMethod(Options);

    private static JsonArray Nodes(AddressFlowKind kind, string method, string? sentTo)
    {
        var flow = new AddressFlow { Kind = kind };
        if (sentTo is null) Method(method).PopulateChooseMethod(flow);
        else Method(method).PopulateSent(flow, sentTo);
        return flow.Ui.ToJson()["nodes"]!.AsArray();
    }

    private static List<string> Shape(JsonArray nodes) => nodes.Select(n =>
        $"{n!["group"]}|{n["attributes"]!["name"]}|{n["attributes"]!["type"]}|{n["attributes"]!["value"]}|{n["attributes"]!["required"]}|" +
        $"{n["attributes"]!["autocomplete"]}|{n["meta"]!["label"]?["id"]}").ToList();

    public static TheoryData<string, string, string, bool> Snapshots => new()
    {
        { "selfservice_strategy_code__TestVerification-description=should_set_all_the_correct_verification_payloads.json", "verification", "code", false },
        { "selfservice_strategy_code__TestVerification-description=should_set_all_the_correct_verification_payloads_after_submission.json", "verification", "code", true },
        { "selfservice_strategy_link__TestVerification-description=should_set_all_the_correct_verification_payloads.json", "verification", "link", false },
        { "selfservice_strategy_link__TestVerification-description=should_set_all_the_correct_verification_payloads_after_submission.json", "verification", "link", true },
        { "selfservice_strategy_code__TestRecovery-description=should_set_all_the_correct_recovery_payloads.json", "recovery", "code", false },
        { "selfservice_strategy_code__TestRecovery-description=should_set_all_the_correct_recovery_payloads_after_submission.json", "recovery", "code", true },
        { "selfservice_strategy_link__TestRecovery-description=should_set_all_the_correct_recovery_payloads.json", "recovery", "link", false },
        { "selfservice_strategy_link__TestRecovery-description=should_set_all_the_correct_recovery_payloads_after_submission.json", "recovery", "link", true },
    };

    [Theory, MemberData(nameof(Snapshots))]
    public void Node_layouts_match_kratos(string snapshot, string kind, string method, bool sent)
    {
        var k = kind == "recovery" ? AddressFlowKind.Recovery : AddressFlowKind.Verification;
        var ours = Nodes(k, method, sent ? "test@ory.sh" : null);
        // Our own expectation first (holds without ../shared): the csrf node is always present, exactly once.
        Assert.Single(ours, n => n!["attributes"]!["name"]!.GetValue<string>() == "csrf_token");
        Assert.Contains(ours, n => n!["attributes"]!["name"]!.GetValue<string>() == "method" && n["attributes"]!["type"]!.GetValue<string>() == "submit");
        if (!Shared.Available) return;
        var theirs = JsonNode.Parse(File.ReadAllText(Shared.Path("snapshots/" + snapshot)))!.AsArray();
        Assert.Equal(Shape(theirs), Shape(ours));
    }

    [Fact]
    public void Admin_code_form_matches_kratos()
    {
        var flow = new AddressFlow { Kind = AddressFlowKind.Recovery };
        CodeAddressMethod.PopulateAdminCode(flow);
        var ours = flow.Ui.ToJson()["nodes"]!.AsArray();
        Assert.Equal("6", ours[1]!["attributes"]!["maxlength"]!.ToJsonString());
        if (!Shared.Available) return;
        var theirs = JsonNode.Parse(File.ReadAllText(Shared.Path(
            "snapshots/selfservice_strategy_code__TestAdminStrategy-case=form_should_not_contain_email_field_when_creating_recovery_code.json")))!.AsArray();
        // Kratos' snapshot leaves out the csrf node.
        var withoutCsrf = new JsonArray(ours.Where(n => n!["attributes"]!["name"]!.GetValue<string>() != "csrf_token").Select(n => n!.DeepClone()).ToArray());
        Assert.True(JsonNode.DeepEquals(theirs, withoutCsrf), withoutCsrf.ToJsonString());
    }

    [Fact]
    public void Messages_match_kratos_ids_types_and_context_keys()
    {
        // The recovery/verification messages live in the shared catalog; these are their flow-specific facts.
        var samples = Messages.Samples();
        Assert.All(samples, m => Assert.False(string.IsNullOrWhiteSpace(m.Text)));
        Assert.Equal("success", Messages.VerificationSuccessful().Type);
        Assert.Equal(4060006, Messages.RecoveryTooManyAttempts().Id);
        Assert.Equal(4070006, Messages.VerificationTooManyAttempts().Id);
        if (!Shared.Available) return;
        var rows = File.ReadAllLines(Shared.Path("message-ids.tsv")).Skip(1).Select(l => l.Split('\t'))
            .ToDictionary(c => int.Parse(c[0]), c => (Type: c[1], Keys: c.Length > 3 ? c[3] : ""));
        foreach (var m in samples)
        {
            Assert.True(rows.ContainsKey(m.Id), $"{m.Id} is not a Kratos message id");
            Assert.Equal(rows[m.Id].Type, m.Type);
            var keys = rows[m.Id].Keys.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            foreach (var key in m.Context?.Select(p => p.Key) ?? []) Assert.Contains(key, keys);
        }
    }

    [Fact]
    public void Secrets_are_random_and_well_formed()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => OneTimeSecrets.NewCode()).ToList();
        Assert.All(codes, c => Assert.Matches("^[0-9]{6}$", c));
        Assert.True(codes.Distinct().Count() > 150);
        var tokens = Enumerable.Range(0, 50).Select(_ => OneTimeSecrets.NewToken()).ToList();
        Assert.All(tokens, t => Assert.Matches("^[A-Za-z0-9]{32}$", t));
        Assert.Equal(50, tokens.Distinct().Count());
        Assert.False(OneTimeSecrets.LooksLikeCode("12 34"));
        Assert.False(OneTimeSecrets.LooksLikeCode(new string('1', 65)));
        Assert.False(OneTimeSecrets.LooksLikeToken("short"));
    }

    [Fact]
    public void Submitted_addresses_match_stored_forms()
    {
        Assert.Equal(["alice@example.org"], AddressLookup.Candidates("  Alice@Example.ORG "));
        Assert.Contains("+4915112345", AddressLookup.Candidates("+49 (151) 123-45"));
        Assert.Empty(AddressLookup.Candidates("   "));
        Assert.Empty(AddressLookup.Candidates(new string('a', 600)));
    }
}
