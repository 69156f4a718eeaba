using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Warden.Persistence;
using Warden.Tests.SelfService;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Verification;

/// <summary>A queued courier message as the tests read it (recipient, template, rendered text).</summary>
internal sealed record QueuedMail(string Recipient, string TemplateType, string Subject, string Body, string? TemplateData)
{
    /// <summary>
    /// The six-digit code in the message: from the stored template model when the courier keeps it, else from the
    /// rendered text (a digit run that is not part of a word or an address, so the recipient's name cannot match).
    /// </summary>
    public string Code()
    {
        var data = TemplateData is null ? null : JsonNode.Parse(TemplateData);
        if ((data?["VerificationCode"] ?? data?["RecoveryCode"]) is JsonValue v && v.TryGetValue<string>(out var fromModel)) return fromModel;
        var m = Regex.Match(Body, @"(?<![0-9A-Za-z\-])[0-9]{6}(?![0-9A-Za-z@\-])");
        return m.Success ? m.Value : throw new Xunit.Sdk.XunitException("no code in message: " + Body);
    }

    /// <summary>Whether the message carries any secret (code or link), judged by model and text.</summary>
    public bool HasSecret()
    {
        var data = TemplateData is null ? null : JsonNode.Parse(TemplateData);
        if (data?["VerificationCode"] is not null || data?["RecoveryCode"] is not null || data?["VerificationURL"] is not null || data?["RecoveryURL"] is not null)
            return true;
        return Regex.IsMatch(Body, @"(?<![0-9A-Za-z\-])[0-9]{6}(?![0-9A-Za-z@\-])") || Body.Contains("self-service/");
    }

    /// <summary>The mailed link (submit endpoint with flow and code/token).</summary>
    public string Link()
    {
        var m = Regex.Match(Body, @"https?://[^\s""'<>]+self-service/(verification|recovery)\?[^\s""'<>]+");
        if (m.Success) return WebUtility.HtmlDecode(m.Value);
        var data = TemplateData is null ? null : JsonNode.Parse(TemplateData);
        return data?["VerificationURL"]?.GetValue<string>() ?? data?["RecoveryURL"]?.GetValue<string>()
            ?? throw new Xunit.Sdk.XunitException("no link in message: " + Body);
    }
}

/// <summary>
/// Verification and recovery on top of the self-service harness (person schema, password registration):
/// config switches for both flows and their methods, and reading what the courier queued for an address.
/// </summary>
internal static class AddressHarness
{
    private const string UiBase = SelfServiceHarness.UiBase;

    /// <summary>A server with both flows enabled; <paramref name="notifyUnknown"/> null leaves the key out (Warden's default).</summary>
    public static Task<TestServer> StartServerAsync(string dialect, string use = "code", bool? notifyUnknown = false,
        Action<JsonObject>? tweak = null) =>
        SelfServiceHarness.StartAsync(dialect, sessionHook: true, root =>
        {
            var ss = root["selfservice"]!.AsObject();
            var flows = ss["flows"]!.AsObject();
            foreach (var kind in new[] { "verification", "recovery" })
            {
                flows[kind] = new JsonObject { ["enabled"] = true, ["use"] = use, ["ui_url"] = $"{UiBase}/{kind}" };
                if (notifyUnknown is { } notify) flows[kind]!["notify_unknown_recipients"] = notify;
            }
            flows["settings"] = new JsonObject { ["ui_url"] = UiBase + "/settings" };
            var methods = ss["methods"]!.AsObject();
            methods["link"] = new JsonObject { ["enabled"] = true };
            methods["code"] = new JsonObject { ["enabled"] = true };
            // Cheap hashing: these tests are about mailed secrets, not password storage.
            root["hashers"] = new JsonObject { ["algorithm"] = "bcrypt", ["bcrypt"] = new JsonObject { ["cost"] = 4 } };
            tweak?.Invoke(root);
        });

    /// <summary>Every message queued for <paramref name="recipient"/>, oldest first.</summary>
    public static async Task<List<QueuedMail>> MailsAsync(TestServer s, string recipient)
    {
        await using var c = await s.Service<Database>().OpenAsync();
        var rows = await c.QueryAsync<(string Recipient, string TemplateType, string Subject, string Body, string? TemplateData)>(
            "SELECT recipient, template_type, subject, body, template_data FROM courier_messages WHERE recipient = @recipient ORDER BY created_at, id",
            new { recipient });
        return rows.Select(r => new QueuedMail(r.Recipient, r.TemplateType, r.Subject, r.Body, r.TemplateData)).ToList();
    }

    public static async Task<QueuedMail> LastMailAsync(TestServer s, string recipient, string templateType)
    {
        var mails = await MailsAsync(s, recipient);
        Assert.True(mails.Count > 0, $"no message was queued for {recipient}");
        var last = mails[^1];
        Assert.Equal(templateType, last.TemplateType);
        return last;
    }

    /// <summary>Creates an identity through native registration; returns its id.</summary>
    public static async Task<string> RegisterAsync(TestServer s, string email) =>
        (await SelfServiceHarness.RegisterNative(s, email))["identity"]!["id"]!.GetValue<string>();

    /// <summary>Moves a stored flow's expiry into the past (column and document), like waiting out its lifespan.</summary>
    public static async Task ExpireFlowAsync(TestServer s, string flowId)
    {
        var db = s.Service<Database>();
        await using var c = await db.OpenAsync();
        var id = Guid.Parse(flowId);
        var data = JsonNode.Parse(await c.ExecuteScalarAsync<string>("SELECT data FROM selfservice_flows WHERE id = @id", new { id }) ?? "{}")!;
        var past = DateTime.UtcNow.AddHours(-2);
        data["expires_at"] = past;
        await c.ExecuteAsync("UPDATE selfservice_flows SET data = @data, expires_at = @past WHERE id = @id",
            new { data = data.ToJsonString(), past, id });
    }

    /// <summary>Moves every code and link of a flow past its expiry.</summary>
    public static async Task ExpireSecretsAsync(TestServer s, string flowId)
    {
        await using var c = await s.Service<Database>().OpenAsync();
        await c.ExecuteAsync("UPDATE one_time_codes SET expires_at = @past WHERE flow_id = @id",
            new { past = DateTime.UtcNow.AddMinutes(-1), id = Guid.Parse(flowId) });
    }

    public static async Task<JsonObject> IdentityAsync(TestServer s, string id) =>
        await SelfServiceHarness.ExpectJson(await s.Admin.GetAsync($"/admin/identities/{id}"), HttpStatusCode.OK);

    public static JsonObject Address(JsonObject identity) => identity["verifiable_addresses"]![0]!.AsObject();

    public static List<string> NodeNames(JsonObject flow) =>
        flow["ui"]!["nodes"]!.AsArray().Select(n => $"{n!["group"]}:{n["attributes"]!["name"] ?? n["attributes"]!["id"]}").ToList();

    public static string Query(string url, string key) =>
        System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)[key] ?? throw new Xunit.Sdk.XunitException($"no {key} in {url}");
}
