using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Verification;

/// <summary>
/// An address that belongs to no account, submitted to recovery or verification: by default (Warden's,
/// unlike Kratos') it gets exactly one <c>*_invalid</c> message without a secret; with
/// <c>notify_unknown_recipients: false</c> nothing. The HTTP answer never differs from a known address.
/// </summary>
public sealed class UnknownRecipientTests
{
    private static readonly string[] Kinds = ["recovery", "verification"];

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Unknown_address_gets_one_invalid_notice_by_default(string dialect)
    {
        foreach (var use in new[] { "code", "link" })
        {
            await using var s = await StartServerAsync(dialect, use, notifyUnknown: null);
            foreach (var kind in Kinds)
            {
                var (known, unknown) = await SubmitKnownAndUnknownAsync(s, kind, use);
                Assert.Equal(Comparable(known), Comparable(await LastAnswer(s, kind, use, unknown)));
                var mail = Assert.Single(await MailsAsync(s, unknown));
                Assert.Equal(use == "code" ? $"{kind}_code_invalid" : $"{kind}_invalid", mail.TemplateType);
                Assert.False(mail.HasSecret(), mail.Body);
            }
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Unknown_address_gets_nothing_when_turned_off(string dialect)
    {
        await using var s = await StartServerAsync(dialect, notifyUnknown: false);
        foreach (var kind in Kinds)
        {
            var (known, unknown) = await SubmitKnownAndUnknownAsync(s, kind, "code");
            Assert.Equal(Comparable(known), Comparable(await LastAnswer(s, kind, "code", unknown)));
            Assert.Empty(await MailsAsync(s, unknown));
        }
    }

    /// <summary>Submits a registered address; returns that answer and a fresh unknown address (not yet submitted).</summary>
    private static async Task<(JsonObject Known, string Unknown)> SubmitKnownAndUnknownAsync(TestServer s, string kind, string use)
    {
        var email = Email();
        await RegisterAsync(s, email);
        return (await LastAnswer(s, kind, use, email), Email());
    }

    private static async Task<JsonObject> LastAnswer(TestServer s, string kind, string use, string email)
    {
        var flow = await NativeFlow(s, kind);
        return await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = use, ["email"] = email })),
            HttpStatusCode.OK);
    }

    /// <summary>The answer without what differs per flow or per address (ids, times, the echoed address).</summary>
    private static string Comparable(JsonObject answer)
    {
        var o = answer.DeepClone().AsObject();
        foreach (var key in new[] { "id", "expires_at", "issued_at", "created_at", "updated_at" }) o.Remove(key);
        o["ui"]!.AsObject().Remove("action");
        foreach (var n in o["ui"]!["nodes"]!.AsArray().OfType<JsonObject>())
            if (n["attributes"]!["name"]?.GetValue<string>() == "email") n["attributes"]!["value"] = "(address)";
        return o.ToJsonString();
    }
}
