using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http;
using Warden.Http.Flows;
using Warden.Methods;
using Warden.Ui;

namespace Warden.SelfService.Verification;

/// <summary>
/// The verification flow: create (browser/native), get, and submit (an address to send a code or link to,
/// or the code/token that proves control of it; the mailed link submits with GET).
/// </summary>
public sealed class VerificationFlows(AddressFlowHttp http, AddressFlowStore store, AddressChallenges challenges,
    AddressFlowOptions options, AddressFlowUrls urls, ReturnToValidator returnTo)
{
    private const AddressFlowKind Kind = AddressFlowKind.Verification;

    public async Task CreateAsync(HttpContext ctx, bool api)
    {
        var client = api ? ClientKind.Api : RequestKind.For(ctx.Request, apiFlow: false);
        try
        {
            EnsureEnabled();
            var target = returnTo.Validate(ctx.Request.Query["return_to"]);
            var flow = http.New(ctx, Kind, api, target);
            await store.InsertAsync(flow, ct: ctx.RequestAborted);
            await http.FlowAsync(ctx, flow, client);
        }
        catch (ApiException e)
        {
            await http.ErrorAsync(ctx, e, client);
        }
    }

    public async Task GetAsync(HttpContext ctx)
    {
        EnsureEnabled();
        var flow = await http.GetAsync(ctx, Kind);
        await FlowResponder.JsonAsync(ctx, http.Json(ctx, flow));
    }

    public async Task SubmitAsync(HttpContext ctx)
    {
        var gated = await http.SubmitAsync(ctx, Kind);
        if (gated is null) return;
        var (flow, client, body) = gated;
        try
        {
            EnsureEnabled();
            if (AddressForm.IsView(ctx, body))
            {
                await http.FlowAsync(ctx, flow, client);
                return;
            }
            if (flow.State == AddressFlow.States.PassedChallenge)
                throw ApiException.BadRequest("This verification flow was already completed. Start a new one to verify another address.");
            var step = AddressForm.Read(body, flow, http.MethodFor(flow), Kind, maySend: true);
            await AddressForm.ApplyAsync(step, ctx, flow, client, http, challenges, (method, secret) => RedeemAsync(ctx, flow, client, method, secret));
        }
        catch (ApiException e)
        {
            await http.ErrorAsync(ctx, e, client);
        }
    }

    private async Task RedeemAsync(HttpContext ctx, AddressFlow flow, ClientKind client, IAddressFlowMethod method, string secret)
    {
        var result = await challenges.RedeemAsync(flow, method, secret, async (used, c, tx) =>
            used.IdentityId is { } id && used.AddressVia is { } via && used.Address is { } value &&
            await AddressLookup.MarkVerifiedAsync(store.Database.Changes, c, tx, id, via, value, ctx.RequestAborted), ctx.RequestAborted);
        if (result.Status != RedeemStatus.Redeemed || !result.Value)
        {
            AddressForm.Refused(flow, Kind, result.Status, method.Id);
            await http.FailAsync(ctx, flow, client);
            return;
        }
        flow.State = AddressFlow.States.PassedChallenge;
        flow.Ui.Nodes.Clear();
        flow.Ui.Nodes.Add(Methods.Code.CodeAddressMethod.Csrf());
        flow.Ui.Nodes.Add(ContinueLink(method.Id, urls.AfterSuccess(flow)));
        flow.Ui.Messages.Add(Messages.VerificationSuccessful());
        await store.UpdateAsync(flow, ct: ctx.RequestAborted);
        await http.FlowAsync(ctx, flow, client);
    }

    /// <summary>Kratos compat: a verified flow offers an anchor node (<c>id: continue</c>) to where the user goes next.</summary>
    private static UiNode ContinueLink(string group, string href) => new()
    {
        Type = "a",
        Group = group,
        Attributes = new JsonObject
        {
            ["href"] = href,
            ["title"] = Messages.LabelContinue().ToJson(),
            ["id"] = "continue",
            ["node_type"] = "a",
        },
        Label = Messages.LabelContinue(),
    };

    private void EnsureEnabled()
    {
        if (!options.Verification.Enabled)
            throw ApiException.BadRequest("Verification is disabled on this server.", "self_service_flow_disabled");
    }
}
