using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.Schemas;
using Warden.SelfService.Verification;

namespace Warden.SelfService.Settings;

/// <summary>
/// After a settings change, an address that is new to the identity (a changed e-mail, say) gets a
/// verification message, as after registration; the <c>show_verification_ui</c> items go to continue_with.
/// Addresses the identity had before are left alone, verified or not.
/// </summary>
public sealed class SettingsVerification(VerificationSender sender)
{
    public async Task<IReadOnlyList<JsonObject>> SendForNewAddressesAsync(Microsoft.AspNetCore.Http.HttpContext ctx, SettingsFlow flow,
        Identity before, Identity after)
    {
        var items = new List<JsonObject>();
        if (!sender.Enabled) return items;
        var known = before.VerifiableAddresses.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var a in after.VerifiableAddresses.Where(a => !a.Verified && !known.Contains(Key(a))))
            if (await sender.SendForAddressAsync(ctx, a, flow.IsApi, flow.ReturnTo, flow.TransientPayload, ctx.RequestAborted) is { } item)
                items.Add(item);
        return items;
    }

    private static string Key(VerifiableAddress a) => a.Via + "\n" + TraitNormalization.Address(a.Via, a.Value);
}
