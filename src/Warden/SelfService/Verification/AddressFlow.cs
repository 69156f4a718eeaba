using System.Text.Json.Nodes;
using Warden.SelfService.Flows;
using Warden.Ui;

namespace Warden.SelfService.Verification;

/// <summary>The two flows that prove control of an address by a mailed code or link.</summary>
public enum AddressFlowKind { Verification, Recovery }

/// <summary>
/// A verification or recovery flow. Both have the same wire shape (recovery adds <c>continue_with</c>) and
/// live in <c>selfservice_flows</c> like login and registration, with the document in <c>data</c>.
/// Internal fields (the address a code went to, the recovered identity) are stored but never rendered.
/// </summary>
public sealed class AddressFlow : ISelfServiceFlow
{
    public Guid Id { get; set; }
    public AddressFlowKind Kind { get; set; }
    /// <summary>browser | api.</summary>
    public string Type { get; set; } = "browser";
    /// <summary>choose_method | sent_email | passed_challenge.</summary>
    public string State { get; set; } = States.ChooseMethod;
    public DateTime ExpiresAt { get; set; }
    public DateTime IssuedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string RequestUrl { get; set; } = "";
    public string? ReturnTo { get; set; }
    public string? Active { get; set; }
    public JsonObject? TransientPayload { get; set; }
    public UiContainer Ui { get; set; } = new();
    /// <summary>Recovery only: what follows the flow (settings UI, session token).</summary>
    public JsonArray? ContinueWith { get; set; }
    /// <summary>Hash of the owning browser's CSRF token; empty for API flows and admin-created flows.</summary>
    public string CsrfFingerprint { get; set; } = "";
    /// <summary>Admin-created flows are opened from a mailed link in any browser, so no CSRF binding exists.</summary>
    public bool SkipCsrf { get; set; }
    /// <summary>The address the last code or link was sent to (never rendered before the challenge is passed).</summary>
    public string? SentTo { get; set; }
    /// <summary>Set by the admin API: the identity a recovery code was issued for.</summary>
    public Guid? IdentityId { get; set; }

    FlowKind ISelfServiceFlow.Kind => Kind == AddressFlowKind.Recovery ? FlowKind.Recovery : FlowKind.Verification;
    public bool IsApi => Type == "api";
    public bool IsExpired(DateTime now) => ExpiresAt <= now;
    public string Segment => KindName(Kind);

    public static string KindName(AddressFlowKind kind) => kind == AddressFlowKind.Verification ? "verification" : "recovery";

    /// <summary>The wire JSON; <paramref name="csrf"/> is the masked token for this render (browser flows).</summary>
    public JsonObject ToJson(string? csrf = null)
    {
        var ui = Ui.ToJson(IsApi ? "" : csrf ?? "");
        var o = new JsonObject
        {
            ["id"] = Id,
            ["type"] = Type,
            ["expires_at"] = ExpiresAt,
            ["issued_at"] = IssuedAt,
            ["request_url"] = RequestUrl,
        };
        if (ReturnTo is not null) o["return_to"] = ReturnTo;
        if (Active is not null) o["active"] = Active;
        o["ui"] = ui;
        o["state"] = State;
        if (TransientPayload is not null) o["transient_payload"] = TransientPayload.DeepClone();
        if (Kind == AddressFlowKind.Recovery && ContinueWith is { Count: > 0 }) o["continue_with"] = ContinueWith.DeepClone();
        return o;
    }

    /// <summary>The document stored in <c>data</c>: the wire shape plus internal fields.</summary>
    public JsonObject ToStored()
    {
        var o = ToJson();
        o["created_at"] = CreatedAt;
        o["updated_at"] = UpdatedAt;
        if (ContinueWith is not null) o["continue_with"] = ContinueWith.DeepClone();
        o["skip_csrf"] = SkipCsrf;
        o["sent_to"] = SentTo;
        o["identity_id"] = IdentityId;
        return o;
    }

    public static AddressFlow FromStored(AddressFlowKind kind, JsonObject o, string csrfFingerprint) => new()
    {
        Id = o["id"]!.GetValue<Guid>(),
        Kind = kind,
        Type = o["type"]?.GetValue<string>() ?? "browser",
        State = o["state"]?.GetValue<string>() ?? States.ChooseMethod,
        ExpiresAt = o["expires_at"]!.GetValue<DateTime>().ToUniversalTime(),
        IssuedAt = o["issued_at"]!.GetValue<DateTime>().ToUniversalTime(),
        CreatedAt = (o["created_at"] ?? o["issued_at"])!.GetValue<DateTime>().ToUniversalTime(),
        UpdatedAt = (o["updated_at"] ?? o["issued_at"])!.GetValue<DateTime>().ToUniversalTime(),
        RequestUrl = o["request_url"]?.GetValue<string>() ?? "",
        ReturnTo = o["return_to"]?.GetValue<string>(),
        Active = o["active"]?.GetValue<string>(),
        TransientPayload = o["transient_payload"] is JsonObject tp ? (JsonObject)tp.DeepClone() : null,
        Ui = o["ui"] is JsonObject ui ? UiContainer.FromJson(ui) : new UiContainer(),
        ContinueWith = o["continue_with"] is JsonArray cw ? (JsonArray)cw.DeepClone() : null,
        CsrfFingerprint = csrfFingerprint,
        SkipCsrf = o["skip_csrf"]?.GetValue<bool>() ?? false,
        SentTo = o["sent_to"]?.GetValue<string>(),
        IdentityId = o["identity_id"]?.GetValue<Guid?>(),
    };

    public static class States
    {
        public const string ChooseMethod = "choose_method";
        public const string SentEmail = "sent_email";
        public const string PassedChallenge = "passed_challenge";
    }
}
