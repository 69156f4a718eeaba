using System.Text.Json.Nodes;
using Warden.Http.Flows;
using Warden.SelfService.Flows;
using Warden.SelfService.Verification;

namespace Warden.SelfService.Hooks;

/// <summary>
/// After registration: when verification is enabled, mails a verification code/link to every unverified
/// address of the new identity and adds <c>show_verification_ui</c> items to <c>continue_with</c>.
/// <see cref="HookRunner"/> runs it after every registration without configuration (as Kratos does); it is
/// also addressable as <c>hook: verification</c>, and sends at most once per flow run however often it is
/// invoked, so an operator listing it explicitly does not get every address mailed twice.
/// </summary>
public sealed class VerificationHook(VerificationSender sender) : IFlowHook
{
    public const string HookName = "verification";

    public string Name => HookName;

    public async Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct)
    {
        if (context.Phase != HookPhase.After || context.Identity is null || !sender.Enabled) return;
        // Settings changes mail new addresses themselves (SettingsVerification); mailing every unverified
        // address again from a configured hook would send duplicates.
        if (context.Flow.Kind is not (FlowKind.Registration or FlowKind.Login)) return;
        if (context.VerificationStarted) return;
        context.VerificationStarted = true;
        var items = await sender.SendForIdentityAsync(context.Http, context.Identity, api: context.Client == ClientKind.Api,
            returnTo: context.Flow.ReturnTo, transientPayload: context.Flow.TransientPayload, ct: ct);
        foreach (var item in items) context.ContinueWith.Add(item);
    }
}
