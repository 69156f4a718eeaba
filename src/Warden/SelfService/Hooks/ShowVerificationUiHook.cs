using System.Text.Json.Nodes;
using Warden.Http.Flows;
using Warden.SelfService.Flows;

namespace Warden.SelfService.Hooks;

/// <summary>
/// <c>hook: show_verification_ui</c> after registration: a browser submitting an HTML form is sent to the
/// verification UI of the flow the verification hook started, instead of the return URL. SPAs and native apps
/// already find that flow in <c>continue_with</c>, so nothing changes for them.
/// </summary>
public sealed class ShowVerificationUiHook : IFlowHook
{
    public string Name => "show_verification_ui";

    public Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct)
    {
        // Registration only: after a settings change the verification items are added once the hooks ran, so
        // there is nothing to point at yet (Kratos' settings variant is not implemented).
        if (context.Phase != HookPhase.After || context.Client != ClientKind.BrowserHtml || context.Flow.Kind != FlowKind.Registration)
            return Task.CompletedTask;
        var url = context.ContinueWith.OfType<JsonObject>()
            .Where(i => i["action"]?.GetValue<string>() == "show_verification_ui")
            .Select(i => i["flow"]?["url"]?.GetValue<string>())
            .FirstOrDefault(u => !string.IsNullOrEmpty(u));
        // The responder redirects HTML browsers to the flow's return URL; pointing it at the verification UI is
        // the one redirect this hook exists to change.
        if (url is not null) context.Flow.ReturnTo = url;
        return Task.CompletedTask;
    }
}
