using System.Text.Json.Nodes;
using Warden.SelfService.Flows;
using Warden.Ui;

namespace Warden.SelfService.Settings;

/// <summary>
/// A settings flow: the signed-in identity changes its own profile or credentials. Like login/registration
/// flows it lives in <c>selfservice_flows</c> (kind <c>settings</c>) with the document in <c>data</c>, but it
/// always belongs to one identity (<c>identity_id</c>), and only that identity's sessions may use it.
/// </summary>
public sealed class SettingsFlow : ISelfServiceFlow
{
    public const string ShowForm = "show_form";
    public const string Success = "success";

    public Guid Id { get; set; }
    /// <summary>browser | api.</summary>
    public string Type { get; set; } = "browser";
    /// <summary>show_form | success.</summary>
    public string State { get; set; } = ShowForm;
    public DateTime ExpiresAt { get; set; }
    public DateTime IssuedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string RequestUrl { get; set; } = "";
    public string? ReturnTo { get; set; }
    /// <summary>The method last submitted (<c>active</c> on the wire).</summary>
    public string? Active { get; set; }
    public Guid IdentityId { get; set; }
    public JsonObject? TransientPayload { get; set; }
    public UiContainer Ui { get; set; } = new();
    /// <summary>Hash of the browser's CSRF token (browser flows); empty for API flows.</summary>
    public string CsrfFingerprint { get; set; } = "";

    public FlowKind Kind => FlowKind.Settings;
    public bool IsApi => Type == "api";
    public bool IsExpired(DateTime now) => ExpiresAt <= now;

    /// <summary>
    /// The wire JSON (<c>settingsFlow</c>). <paramref name="identity"/> is the rendered identity (no
    /// credentials); <paramref name="csrf"/> the masked token for this render (browser flows).
    /// </summary>
    public JsonObject ToJson(JsonObject identity, string? csrf = null, JsonArray? continueWith = null)
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
        o["ui"] = ui;
        o["identity"] = identity;
        o["state"] = State;
        if (TransientPayload is not null) o["transient_payload"] = TransientPayload.DeepClone();
        if (continueWith is not null) o["continue_with"] = continueWith.DeepClone();
        return o;
    }

    /// <summary>The document stored in <c>data</c> (the identity is a column, rendered fresh on every read).</summary>
    public JsonObject ToStored()
    {
        var o = new JsonObject
        {
            ["id"] = Id,
            ["type"] = Type,
            ["state"] = State,
            ["expires_at"] = ExpiresAt,
            ["issued_at"] = IssuedAt,
            ["created_at"] = CreatedAt,
            ["updated_at"] = UpdatedAt,
            ["request_url"] = RequestUrl,
            ["return_to"] = ReturnTo,
            ["active"] = Active,
            ["identity_id"] = IdentityId,
            ["ui"] = Ui.ToJson(),
        };
        if (TransientPayload is not null) o["transient_payload"] = TransientPayload.DeepClone();
        return o;
    }

    public static SettingsFlow FromStored(JsonObject o, string csrfFingerprint) => new()
    {
        Id = o["id"]!.GetValue<Guid>(),
        Type = o["type"]?.GetValue<string>() ?? "browser",
        State = o["state"]?.GetValue<string>() ?? ShowForm,
        ExpiresAt = o["expires_at"]!.GetValue<DateTime>().ToUniversalTime(),
        IssuedAt = o["issued_at"]!.GetValue<DateTime>().ToUniversalTime(),
        CreatedAt = o["created_at"]!.GetValue<DateTime>().ToUniversalTime(),
        UpdatedAt = o["updated_at"]!.GetValue<DateTime>().ToUniversalTime(),
        RequestUrl = o["request_url"]?.GetValue<string>() ?? "",
        ReturnTo = o["return_to"]?.GetValue<string>(),
        Active = o["active"]?.GetValue<string>(),
        IdentityId = o["identity_id"]!.GetValue<Guid>(),
        TransientPayload = o["transient_payload"] is JsonObject tp ? (JsonObject)tp.DeepClone() : null,
        Ui = o["ui"] is JsonObject ui ? UiContainer.FromJson(ui) : new UiContainer(),
        CsrfFingerprint = csrfFingerprint,
    };
}
