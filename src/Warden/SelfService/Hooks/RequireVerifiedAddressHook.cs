using System.Text.Json.Nodes;
using Warden.Http;
using Warden.Identities;
using Warden.SelfService.Flows;
using Warden.SelfService.Verification;

namespace Warden.SelfService.Hooks;

/// <summary>
/// <c>hook: require_verified_address</c> after login: an identity without a verified address may not sign in
/// (message 4000010). The login flow revokes the session it just issued when this hook refuses.
/// </summary>
public sealed class RequireVerifiedAddressHook(IdentityService identities, FlowStore flows) : IFlowHook
{
    public string Name => "require_verified_address";

    public async Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct)
    {
        if (context.Phase != HookPhase.After || context.Identity is null || context.Flow.Kind != FlowKind.Login) return;
        var identity = context.Identity.VerifiableAddresses.Count > 0
            ? context.Identity
            : await identities.GetAsync(context.Identity.Id, includeCredentials: false, ct) ?? context.Identity;
        if (identity.VerifiableAddresses.Any(a => a.Verified)) return;
        // The message also lands on the stored flow, so a UI that reloads the login flow can show it.
        var message = AddressMessages.AddressNotVerified();
        context.Flow.Ui.ResetMessages();
        context.Flow.Ui.Messages.Add(message);
        context.Flow.Ui.ClearSecretValues();
        await flows.UpdateAsync(context.Flow, ct);
        throw ApiException.BadRequest(message.Text, details: new JsonObject { ["messages"] = new JsonArray(message.ToJson()) });
    }
}
