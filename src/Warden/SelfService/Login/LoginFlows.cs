using Microsoft.AspNetCore.Http;
using Warden.Http;
using Warden.Http.Flows;
using Warden.Identities;
using Warden.Methods;
using Warden.Persistence;
using Warden.SelfService.Flows;
using Warden.SelfService.Hooks;
using Warden.Sessions;
using Warden.Ui;

namespace Warden.SelfService.Login;

/// <summary>The login flow: create (browser/native), submit, and the session it ends in.</summary>
public sealed class LoginFlows(FlowFactory factory, FlowStore store, FlowGate gate, FlowResponder responder,
    SelfServiceUrls urls, MethodRegistry methods, HookRunner hooks, SessionManager sessions, IdentityService identities,
    Database db, ReturnToValidator returnTo)
{
    public async Task CreateAsync(HttpContext ctx, bool api)
    {
        var client = api ? ClientKind.Api : RequestKind.For(ctx.Request, apiFlow: false);
        try
        {
            var q = ctx.Request.Query;
            var refresh = FlowQuery.Bool(q["refresh"], "refresh");
            var aal = FlowQuery.Aal(q["aal"]);
            var target = returnTo.Validate(q["return_to"]);
            var session = await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted);
            if (aal != "aal1")
                throw session is null
                    ? ApiException.BadRequest("A higher assurance level (aal2/aal3) can only be requested with an active session.", "session_aal1_required")
                    : ApiException.BadRequest("No second-factor method is available for this account.", "no_second_factor_methods");
            if (session is not null && !refresh)
            {
                if (client == ClientKind.BrowserHtml)
                {
                    await FlowResponder.RedirectAsync(ctx, target ?? urls.DefaultReturnUrl);
                    return;
                }
                throw AlreadyLoggedIn();
            }
            var flow = await NewAsync(ctx, api, refresh, target, session, null);
            await responder.FlowAsync(ctx, flow, client);
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, client);
        }
    }

    public async Task SubmitAsync(HttpContext ctx)
    {
        var gated = await gate.SubmitAsync(ctx, FlowKind.Login, ReplaceAsync,
            body => FlowGate.Method(body) is { } id && methods.Login.TryGetValue(id, out var m) ? m.Lookup(body) : null);
        if (gated is null) return;
        var (flow, client, body) = gated;
        try
        {
            if (flow.State == "passed_challenge")
                throw ApiException.BadRequest("This login flow was already completed. Start a new one.");
            var current = await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted);
            if (current is not null && !flow.Refresh)
            {
                if (client == ClientKind.BrowserHtml)
                {
                    await FlowResponder.RedirectAsync(ctx, flow.ReturnTo ?? urls.DefaultReturnUrl);
                    return;
                }
                throw AlreadyLoggedIn();
            }
            var methodId = FlowGate.Method(body);
            flow.Ui.ResetMessages();
            flow.Active = methodId;
            LoginOutcome outcome;
            if (methodId is null || !methods.Login.TryGetValue(methodId, out var method))
            {
                flow.Ui.AddMessage(null, Messages.NoLoginMethod());
                outcome = LoginOutcome.Failed();
            }
            else outcome = await method.LoginAsync(flow, body, gated.Prefetched, ctx.RequestAborted);

            if (!outcome.Succeeded)
            {
                flow.Ui.ClearSecretValues();
                await store.UpdateAsync(flow, ctx.RequestAborted);
                await responder.ValidationFailedAsync(ctx, flow, client);
                return;
            }
            // Kratos compat: a refresh login re-authenticates the session it was started from (same id and token,
            // new authenticated_at) instead of issuing another one.
            var refreshing = flow.Refresh && current is not null && current.IdentityId == outcome.Identity!.Id ? current : null;
            // The flow is stored as completed together with the session (one write); hooks that refuse put it back.
            var before = flow.State;
            flow.State = "passed_challenge";
            flow.Ui.ClearSecretValues();
            var session = await WriteSessionAsync(ctx, outcome, refreshing, flow);
            var hookContext = new HookContext
            {
                Http = ctx, Flow = flow, Client = client, Phase = HookPhase.After, Method = methodId,
                Identity = outcome.Identity, Session = session, AuthenticationMethod = outcome.Method,
            };
            try
            {
                await hooks.RunAfterAsync(hookContext, ctx.RequestAborted);
            }
            catch (HookRefusal refusal)
            {
                if (session != refreshing) await sessions.RevokeAsync(session.Id, CancellationToken.None);
                // Kratos compat: a hook's validation error is a failed submission (the flow with the message),
                // not an error page; the refused user must be able to read why on the login form.
                flow.State = before;
                flow.Ui.AddMessage(null, refusal.UiMessage);
                flow.Ui.ClearSecretValues();
                await store.UpdateAsync(flow, ctx.RequestAborted);
                await responder.ValidationFailedAsync(ctx, flow, client);
                return;
            }
            catch
            {
                // A refreshed session stays: the user proved who they are, and it existed before this flow.
                if (session != refreshing) await sessions.RevokeAsync(session.Id, CancellationToken.None);
                // The login did not complete, so the flow stays usable for another attempt.
                flow.State = before;
                await store.UpdateAsync(flow, CancellationToken.None);
                throw;
            }
            // Re-authentication replaces the session it refreshed.
            if (flow.Refresh && flow.SessionId is { } old && old != session.Id) await sessions.RevokeAsync(old, ctx.RequestAborted);
            await responder.SuccessAsync(ctx, flow, client, methodId!, hookContext.Session ?? session, null, hookContext.ContinueWith);
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, client);
        }
    }

    /// <summary>
    /// Writes the session the login ends in (a new one, or <paramref name="refreshing"/> re-authenticated) and
    /// <paramref name="flow"/> together: both or neither.
    /// </summary>
    private async Task<Session> WriteSessionAsync(HttpContext ctx, LoginOutcome outcome, Session? refreshing, Flow flow)
    {
        var ct = ctx.RequestAborted;
        if (outcome.InTransaction is null && refreshing is null)
        {
            // A plain login: session, device and flow in one batch, atomic on its own; on PostgreSQL one round
            // trip, where a transaction would add a COMMIT's.
            var (issued, rows) = await sessions.PrepareAsync(outcome.Identity!, [outcome.Method!], sessions.Device(ctx), ct);
            await db.AtomicAsync(FlowStore.AddUpdate(rows, flow), ct);
            return issued;
        }
        return await db.InTransactionAsync(async (c, tx) =>
        {
            if (outcome.InTransaction is { } work) await work(c, tx, ct);
            var session = refreshing is not null && await sessions.RefreshAsync(refreshing, outcome.Method!, sessions.Device(ctx), c, tx, ct)
                ? refreshing
                : await sessions.IssueAsync(outcome.Identity!, [outcome.Method!], sessions.Device(ctx), c, tx, ct);
            await FlowStore.AddUpdate(new SqlBatch(), flow).ExecuteAsync(c, tx, ct);
            return session;
        }, ct);
    }

    public async Task GetAsync(HttpContext ctx)
    {
        var flow = await gate.GetAsync(ctx, FlowKind.Login, urls);
        await FlowResponder.JsonAsync(ctx, responder.FlowJson(ctx, flow));
    }

    private async Task<Flow> NewAsync(HttpContext ctx, bool api, bool refresh, string? target, Session? session, string? requestUrl,
        UiText? message = null)
    {
        var flow = factory.New(ctx, FlowKind.Login, api, target, requestUrl);
        if (message is not null) flow.Ui.Messages.Add(message);
        flow.Refresh = refresh;
        Identity? refreshIdentity = null;
        if (refresh && session is not null)
        {
            flow.SessionId = session.Id;
            flow.IdentityId = session.IdentityId;
            refreshIdentity = await identities.GetAsync(session.IdentityId, includeCredentials: true, ctx.RequestAborted);
        }
        foreach (var m in methods.Login.Values) m.PopulateLogin(flow, refreshIdentity);
        await factory.SaveNewAsync(ctx, flow, api ? ClientKind.Api : RequestKind.For(ctx.Request, false));
        return flow;
    }

    /// <summary>The replacement for an expired flow: same type, return_to and refresh, with a message saying why.</summary>
    private async Task<Flow> ReplaceAsync(HttpContext ctx, Flow expired)
    {
        var session = expired.Refresh ? await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted) : null;
        return await NewAsync(ctx, expired.IsApi, expired.Refresh, expired.ReturnTo, session, expired.RequestUrl,
            Messages.LoginFlowExpired(expired.ExpiresAt));
    }

    internal static ApiException AlreadyLoggedIn() => ApiException.BadRequest(
        "A valid session already exists, so signing in again is not possible. Use refresh=true to re-authenticate.",
        "session_already_available");
}
