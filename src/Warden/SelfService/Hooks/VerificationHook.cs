using System.Text.Json.Nodes;
using Warden.Http.Flows;
using Warden.SelfService.Verification;

namespace Warden.SelfService.Hooks;

/// <summary>
/// After registration: when verification is enabled, mails a verification code/link to every unverified
/// address of the new identity and adds <c>show_verification_ui</c> items to <c>continue_with</c>.
/// Kratos runs this without configuration; it is also addressable as <c>hook: verification</c>, and runs at
/// most once per request however often it is invoked.
/// </summary>
public sealed class VerificationHook(VerificationSender sender) : IFlowHook
{
    private static readonly object DoneKey = new();

    public string Name => "verification";

    public async Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct)
    {
        if (context.Phase != HookPhase.After || context.Identity is null || !sender.Enabled) return;
        if (!context.Http.Items.TryAdd(DoneKey, true)) return;
        var items = await sender.SendForIdentityAsync(context.Http, context.Identity, api: context.Client == ClientKind.Api,
            returnTo: context.Flow.ReturnTo, transientPayload: context.Flow.TransientPayload, ct: ct);
        foreach (var item in items) context.ContinueWith.Add(item);
    }
}
