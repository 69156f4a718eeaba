using Microsoft.AspNetCore.Http;
using Warden.Http;
using Warden.Http.Flows;
using Warden.Methods;
using Warden.SelfService.Login;
using Warden.SelfService.Verification;
using Warden.Sessions;
using Warden.Ui;

namespace Warden.SelfService.Recovery;

/// <summary>
/// The recovery flow: create (browser/native), get, and submit (an address to mail a code or link to, or the
/// code/token). A redeemed secret signs the user in and hands over to a settings flow (<see cref="RecoveryCompletion"/>).
/// </summary>
public sealed class RecoveryFlows(AddressFlowHttp http, AddressFlowStore store, AddressChallenges challenges,
    AddressFlowOptions options, SelfServiceUrls selfService, ReturnToValidator returnTo, SessionManager sessions,
    RecoveryCompletion completion)
{
    private const AddressFlowKind Kind = AddressFlowKind.Recovery;

    public async Task CreateAsync(HttpContext ctx, bool api)
    {
        var client = api ? ClientKind.Api : RequestKind.For(ctx.Request, apiFlow: false);
        try
        {
            EnsureEnabled();
            var target = returnTo.Validate(ctx.Request.Query["return_to"]);
            if (await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted) is not null)
            {
                if (client == ClientKind.BrowserHtml)
                {
                    await FlowResponder.RedirectAsync(ctx, target ?? selfService.DefaultReturnUrl);
                    return;
                }
                throw LoginFlows.AlreadyLoggedIn();
            }
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
                throw ApiException.BadRequest("This recovery flow was already completed. Start a new one.");
            if (await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted) is not null && !HttpMethods.IsGet(ctx.Request.Method))
                throw LoginFlows.AlreadyLoggedIn();
            // Admin-issued codes are bound to their identity: the flow never asks for (or re-sends to) an address.
            var step = AddressForm.Read(body, flow, http.MethodFor(flow), Kind, maySend: flow.IdentityId is null);
            await AddressForm.ApplyAsync(step, ctx, flow, client, http, challenges, (method, secret) => RedeemAsync(ctx, flow, client, method, secret));
        }
        catch (ApiException e)
        {
            await http.ErrorAsync(ctx, e, client);
        }
    }

    private async Task RedeemAsync(HttpContext ctx, AddressFlow flow, ClientKind client, IAddressFlowMethod method, string secret)
    {
        var result = await challenges.RedeemAsync(flow, method, secret,
            (used, c, tx) => completion.SignInAsync(ctx, flow, method, used, c, tx), ctx.RequestAborted);
        if (result.Status != RedeemStatus.Redeemed || result.Value is null)
        {
            AddressForm.Refused(flow, Kind, result.Status, method.Id);
            await http.FailAsync(ctx, flow, client);
            return;
        }
        await completion.RunAfterHooksAsync(result.Value, ctx.RequestAborted);
        await completion.RespondAsync(ctx, flow, client, result.Value);
    }

    private void EnsureEnabled()
    {
        if (!options.Recovery.Enabled)
            throw ApiException.BadRequest("Account recovery is disabled on this server.", "self_service_flow_disabled");
    }
}
