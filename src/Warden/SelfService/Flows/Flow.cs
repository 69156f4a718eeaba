using System.Text.Json.Nodes;
using Warden.Ui;

namespace Warden.SelfService.Flows;

/// <summary>
/// Which self-service flow something is; also the URL segment (<c>/self-service/login</c>) and the <c>kind</c>
/// column of <c>selfservice_flows</c>. <see cref="Flow"/> models login and registration; settings, recovery and
/// verification have their own classes (see <see cref="ISelfServiceFlow"/>).
/// </summary>
public enum FlowKind { Login, Registration, Settings, Recovery, Verification }

/// <summary>
/// A login or registration flow. The row keeps query columns; the flow document (<see cref="ToJson"/>)
/// lives in the <c>data</c> column so later fields need no migration.
/// </summary>
public sealed class Flow : ISelfServiceFlow
{
    public Guid Id { get; set; }
    public FlowKind Kind { get; set; }
    /// <summary>browser | api.</summary>
    public string Type { get; set; } = "browser";
    /// <summary>choose_method | sent_email | passed_challenge.</summary>
    public string State { get; set; } = "choose_method";
    public DateTime ExpiresAt { get; set; }
    public DateTime IssuedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string RequestUrl { get; set; } = "";
    public string? ReturnTo { get; set; }
    public bool Refresh { get; set; }
    public string RequestedAal { get; set; } = "aal1";
    /// <summary>The method last submitted (<c>active</c> on the wire).</summary>
    public string? Active { get; set; }
    public string? IdentitySchema { get; set; }
    public JsonObject? TransientPayload { get; set; }
    public UiContainer Ui { get; set; } = new();
    /// <summary>Hash of the browser's CSRF token (browser flows); empty for API flows.</summary>
    public string CsrfFingerprint { get; set; } = "";
    /// <summary>For refresh logins: the session being re-authenticated.</summary>
    public Guid? SessionId { get; set; }
    public Guid? IdentityId { get; set; }

    public bool IsApi => Type == "api";
    public bool IsExpired(DateTime now) => ExpiresAt <= now;
    public string Segment => FlowStore.KindName(Kind);

    /// <summary>The wire JSON. <paramref name="csrf"/> is the masked token for this render (browser flows).</summary>
    public JsonObject ToJson(string? csrf = null)
    {
        var ui = Ui.ToJson(IsApi ? "" : csrf ?? "");
        var o = new JsonObject
        {
            ["id"] = Id,
            ["organization_id"] = null,
            ["type"] = Type,
            ["expires_at"] = ExpiresAt,
            ["issued_at"] = IssuedAt,
            ["request_url"] = RequestUrl,
        };
        if (ReturnTo is not null) o["return_to"] = ReturnTo;
        if (Active is not null) o["active"] = Active;
        if (IdentitySchema is not null) o["identity_schema"] = IdentitySchema;
        o["ui"] = ui;
        o["created_at"] = CreatedAt;
        o["updated_at"] = UpdatedAt;
        if (Kind == FlowKind.Login)
        {
            o["refresh"] = Refresh;
            o["requested_aal"] = RequestedAal;
        }
        o["state"] = State;
        if (TransientPayload is not null) o["transient_payload"] = TransientPayload.DeepClone();
        return o;
    }

    /// <summary>The document stored in <c>data</c>: the wire shape plus internal fields.</summary>
    public JsonObject ToStored()
    {
        var o = ToJson();
        o["session_id"] = SessionId;
        o["identity_id"] = IdentityId;
        return o;
    }

    public static Flow FromStored(FlowKind kind, JsonObject o, string csrfFingerprint) => new()
    {
        Id = o["id"]!.GetValue<Guid>(),
        Kind = kind,
        Type = o["type"]?.GetValue<string>() ?? "browser",
        State = o["state"]?.GetValue<string>() ?? "choose_method",
        ExpiresAt = o["expires_at"]!.GetValue<DateTime>().ToUniversalTime(),
        IssuedAt = o["issued_at"]!.GetValue<DateTime>().ToUniversalTime(),
        CreatedAt = o["created_at"]!.GetValue<DateTime>().ToUniversalTime(),
        UpdatedAt = o["updated_at"]!.GetValue<DateTime>().ToUniversalTime(),
        RequestUrl = o["request_url"]?.GetValue<string>() ?? "",
        ReturnTo = o["return_to"]?.GetValue<string>(),
        Refresh = o["refresh"]?.GetValue<bool>() ?? false,
        RequestedAal = o["requested_aal"]?.GetValue<string>() ?? "aal1",
        Active = o["active"]?.GetValue<string>(),
        IdentitySchema = o["identity_schema"]?.GetValue<string>(),
        TransientPayload = o["transient_payload"] as JsonObject is { } tp ? (JsonObject)tp.DeepClone() : null,
        Ui = o["ui"] is JsonObject ui ? UiContainer.FromJson(ui) : new UiContainer(),
        CsrfFingerprint = csrfFingerprint,
        SessionId = o["session_id"]?.GetValue<Guid?>(),
        IdentityId = o["identity_id"]?.GetValue<Guid?>(),
    };
}
