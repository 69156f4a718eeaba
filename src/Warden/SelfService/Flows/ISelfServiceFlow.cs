using System.Text.Json.Nodes;
using Warden.Ui;

namespace Warden.SelfService.Flows;

/// <summary>
/// What every self-service flow model has in common, as hooks see it. Login/registration (<see cref="Flow"/>),
/// settings and recovery/verification flows are still separate classes; this lets hooks run on any of them
/// and know which flow they are in, instead of getting a copy that pretends to be a login flow.
/// </summary>
public interface ISelfServiceFlow
{
    Guid Id { get; }
    FlowKind Kind { get; }
    /// <summary>browser | api.</summary>
    string Type { get; }
    bool IsApi { get; }
    /// <summary>Settable: <c>show_verification_ui</c> points an HTML browser's final redirect elsewhere.</summary>
    string? ReturnTo { get; set; }
    JsonObject? TransientPayload { get; }
    UiContainer Ui { get; }
}
