using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Identities;

namespace Warden.SelfService.Verification;

/// <summary>
/// Starts verification for addresses from other flows: after registration (the <c>verification</c> hook) and
/// after a settings change of a verifiable address. Each unverified address gets its own verification flow
/// in <c>sent_email</c> state, and the caller gets the <c>show_verification_ui</c> continue_with item.
/// </summary>
public sealed class VerificationSender(AddressFlowHttp http, AddressFlowStore store, AddressChallenges challenges,
    AddressFlowOptions options, AddressFlowUrls urls)
{
    /// <summary>Whether verification is enabled and its method available.</summary>
    public bool Enabled => options.Verification.Enabled && http.Method(AddressFlowKind.Verification) is not null;

    /// <summary>
    /// Creates a verification flow for <paramref name="address"/> and mails its code or link. The flow is bound to
    /// the current browser (CSRF cookie) unless <paramref name="api"/>. Returns the continue_with item, or null
    /// when verification is off or the address is verified already.
    /// </summary>
    public async Task<JsonObject?> SendForAddressAsync(HttpContext? ctx, VerifiableAddress address, bool api, string? returnTo = null,
        JsonObject? transientPayload = null, CancellationToken ct = default)
    {
        if (!Enabled || address.Verified) return null;
        var method = http.Method(AddressFlowKind.Verification)!;
        var flow = http.New(ctx, AddressFlowKind.Verification, api, returnTo);
        flow.TransientPayload = (JsonObject?)transientPayload?.DeepClone();
        await store.InsertAsync(flow, ct: ct);
        await challenges.SendAsync(flow, method, address.Value, ct);
        var item = new JsonObject { ["id"] = flow.Id, ["verifiable_address"] = address.Value };
        // Kratos compat: native apps get no URL, browsers the verification UI with the flow.
        if (!api) item["url"] = urls.UiFlow(AddressFlowKind.Verification, flow.Id);
        return new JsonObject { ["action"] = "show_verification_ui", ["flow"] = item };
    }

    /// <summary>Sends verification for every unverified address of <paramref name="identity"/>; returns the continue_with items.</summary>
    public async Task<IReadOnlyList<JsonObject>> SendForIdentityAsync(HttpContext? ctx, Identity identity, bool api, string? returnTo = null,
        JsonObject? transientPayload = null, CancellationToken ct = default)
    {
        var items = new List<JsonObject>();
        if (!Enabled) return items;
        foreach (var a in identity.VerifiableAddresses.Where(a => !a.Verified))
            if (await SendForAddressAsync(ctx, a, api, returnTo, transientPayload, ct) is { } item)
                items.Add(item);
        return items;
    }
}
