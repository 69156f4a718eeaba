using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.SelfService.Flows;
using Warden.SelfService.Verification;
using Warden.Ui;

namespace Warden.SelfService.Hooks;

/// <summary>
/// <c>hook: require_verified_address</c> after login: an identity without a verified address may not sign in
/// (message 4000010, shown on the login flow). The login flow revokes the session it just issued when this
/// hook refuses.
/// </summary>
public sealed class RequireVerifiedAddressHook(IdentityService identities) : IFlowHook
{
    public string Name => "require_verified_address";

    public async Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct)
    {
        if (context.Phase != HookPhase.After || context.Identity is null || context.Flow.Kind != FlowKind.Login) return;
        var identity = context.Identity.VerifiableAddresses.Count > 0
            ? context.Identity
            : await identities.GetAsync(context.Identity.Id, includeCredentials: false, ct) ?? context.Identity;
        if (identity.VerifiableAddresses.Any(a => a.Verified)) return;
        throw new HookRefusal(Messages.AddressNotVerified());
    }
}
