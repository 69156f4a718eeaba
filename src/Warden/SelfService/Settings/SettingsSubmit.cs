using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http;
using Warden.Http.Csrf;
using Warden.Http.Flows;
using Warden.Identities;
using Warden.Methods;
using Warden.Schemas;
using Warden.SelfService.Continuity;
using Warden.SelfService.Flows;
using Warden.Sessions;
using Warden.Ui;

namespace Warden.SelfService.Settings;

/// <summary>
/// updateSettingsFlow. The checks, in order: a known flow, a session, the flow's own identity, no browser
/// traits on an API flow, not expired (a replacement is offered), CSRF. Then the method judges the
/// submission; a privileged change on a session authenticated too long ago is parked in a continuity
/// container and the user is sent to re-authenticate. Coming back to this endpoint (GET, no method) with a
/// fresh session applies the parked change.
/// </summary>
public sealed class SettingsSubmit(SettingsFlows flows, SettingsFlowStore store, SettingsUrls urls, SettingsMethodRegistry methods,
    SettingsHooks hooks, SettingsVerification verification, ContinuityStore continuity, SessionManager sessions, IdentitySchemas schemas, CsrfTokens csrf,
    FlowResponder responder)
{
    public async Task SubmitAsync(HttpContext ctx)
    {
        SettingsFlow? flow;
        try
        {
            var id = FlowStore.ParseId(ctx.Request.Query["flow"], "flow");
            flow = await store.GetAsync(id, ctx.RequestAborted) ?? throw ApiException.NotFound("The settings flow does not exist.");
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, RequestKind.For(ctx.Request, apiFlow: false));
            return;
        }
        var client = RequestKind.For(ctx.Request, flow.IsApi);
        try
        {
            await SubmitAsync(ctx, flow, client);
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, client);
        }
    }

    private async Task SubmitAsync(HttpContext ctx, SettingsFlow flow, ClientKind client)
    {
        var ct = ctx.RequestAborted;
        var session = await sessions.FromRequestAsync(ctx.Request, ct);
        if (session is null)
        {
            if (client != ClientKind.BrowserHtml) throw SettingsFlows.NoSession();
            await FlowResponder.RedirectAsync(ctx, urls.Login(urls.BrowserInit, refresh: false));
            return;
        }
        if (session.IdentityId != flow.IdentityId) throw SettingsFlows.IdentityMismatch();
        if (flow.IsApi && (ctx.Request.Headers.Cookie.Count > 0 || ctx.Request.Headers.Origin.Count > 0))
            throw ApiException.BadRequest(
                "This flow was created for native apps, but the request carries cookies or an Origin header like a browser. Browsers must use the browser flow endpoints.");
        var body = await FlowBody.ReadAsync(ctx.Request);
        var identity = await flows.LoadIdentityAsync(flow.IdentityId, ct);
        if (flow.IsExpired(DateTime.UtcNow))
        {
            var fresh = await flows.NewAsync(ctx, identity, session, flow.IsApi, flow.ReturnTo, flow.RequestUrl,
                Messages.SettingsFlowExpired(flow.ExpiresAt));
            await ExpiredAsync(ctx, flow, fresh, client);
            return;
        }
        var methodId = FlowGate.Method(body);
        var resuming = methodId is null && HttpMethods.IsGet(ctx.Request.Method);
        if (!flow.IsApi)
        {
            // Coming back from re-authentication is a plain navigation without a token; the flow must still
            // belong to this browser. Everything else carries the token like any form submission.
            var ok = resuming
                ? CsrfTokens.MatchesFingerprint(csrf.FromRequest(ctx.Request), flow.CsrfFingerprint)
                : FlowGate.SubmittedCsrfValid(csrf, ctx.Request, body);
            if (!ok) throw FlowGate.CsrfViolation();
        }
        if (FlowGate.TransientPayload(body) is { } tp) flow.TransientPayload = tp;
        var schema = await schemas.GetReadyAsync(identity.SchemaId, ctx.RequestAborted);
        var run = new Submission(ctx, flow, client, session, identity, schema);

        if (resuming)
        {
            await ResumeAsync(run);
            return;
        }
        flow.Ui.ResetMessages();
        flow.Active = methodId;
        var method = methods.Find(methodId);
        if (method is null)
        {
            flow.Ui.AddMessage(null, Messages.NoSettingsMethod());
            await FailedAsync(run);
            return;
        }
        var change = await method.PrepareAsync(flow, identity, schema, body, ct);
        if (change is null)
        {
            await FailedAsync(run);
            return;
        }
        if (change.Privileged && !IsPrivileged(session))
        {
            await continuity.PutAsync(ContinuityName(flow, method), identity.Id, change.Payload, flow.ExpiresAt, ct);
            flow.Ui.ClearSecretValues();
            await store.UpdateAsync(flow, ct);
            await RefreshRequiredAsync(run);
            return;
        }
        // Made directly now, so an older parked change of this method must not overwrite it later.
        await continuity.DeleteAsync(ContinuityName(flow, method), identity.Id, ct);
        await ApplyAsync(run, method, change.Payload);
    }

    /// <summary>Back from re-authentication: apply the parked change, if any (each method has its own slot).</summary>
    private async Task ResumeAsync(Submission run)
    {
        var ct = run.Http.RequestAborted;
        if (!IsPrivileged(run.Session))
        {
            foreach (var m in methods.All)
                if (await continuity.ExistsAsync(ContinuityName(run.Flow, m), run.Identity.Id, ct))
                {
                    await RefreshRequiredAsync(run);
                    return;
                }
        }
        else
        {
            foreach (var m in methods.All)
            {
                if (await continuity.TakeAsync(ContinuityName(run.Flow, m), run.Identity.Id, ct) is not { } payload) continue;
                run.Flow.Ui.ResetMessages();
                run.Flow.Active = m.Id;
                await ApplyAsync(run, m, payload);
                return;
            }
        }
        // Nothing to resume (already applied, or it expired): show the flow as it is.
        if (run.Client == ClientKind.BrowserHtml) await flows.ShowAsync(run.Http, run.Flow, run.Identity, run.Client);
        else
        {
            run.Flow.Ui.ResetMessages();
            run.Flow.Ui.AddMessage(null, Messages.NoSettingsMethod());
            await FailedAsync(run);
        }
    }

    private async Task ApplyAsync(Submission run, ISettingsMethod method, JsonObject payload)
    {
        var (ctx, flow, client, session, _, schema) = run;
        var updated = await method.ApplyAsync(flow, run.Identity, schema, payload, ctx.RequestAborted);
        if (updated is null)
        {
            await FailedAsync(run);
            return;
        }
        flow.State = SettingsFlow.Success;
        foreach (var m in methods.All) m.PopulateSettings(flow, updated, schema);
        flow.Ui.Messages.Add(Messages.SettingsSaved());
        var hooked = await hooks.RunAfterAsync(ctx, flow, client, method.Id, updated, session);
        foreach (var item in await verification.SendForNewAddressesAsync(ctx, flow, run.Identity, updated)) hooked.ContinueWith.Add(item);
        flow.Ui.ClearSecretValues();
        await store.UpdateAsync(flow, ctx.RequestAborted);
        if (client == ClientKind.BrowserHtml)
        {
            await FlowResponder.RedirectAsync(ctx, urls.AfterSuccess(flow, method.Id));
            return;
        }
        var continueWith = hooked.ContinueWith;
        if (client == ClientKind.BrowserJson && flow.ReturnTo is { Length: > 0 })
            continueWith.Add(new JsonObject { ["action"] = "redirect_browser_to", ["redirect_browser_to"] = urls.AfterSuccess(flow, method.Id) });
        await flows.ShowAsync(ctx, flow, updated, client, 200, continueWith);
    }

    /// <summary>A rejected submission: HTML browsers return to the form, others get 400 with the flow.</summary>
    private async Task FailedAsync(Submission run)
    {
        run.Flow.State = SettingsFlow.ShowForm;
        run.Flow.Ui.ClearSecretValues();
        await store.UpdateAsync(run.Flow, run.Http.RequestAborted);
        await flows.ShowAsync(run.Http, run.Flow, run.Identity, run.Client, 400);
    }

    /// <summary>
    /// The session is too old for this change: sign in again (refresh) and come back to this endpoint, which
    /// then applies the parked change. HTML browsers are sent there; others learn where to send the browser.
    /// </summary>
    private async Task RefreshRequiredAsync(Submission run)
    {
        var redirect = urls.Login(urls.Action(run.Flow.Id), refresh: true);
        if (run.Client == ClientKind.BrowserHtml)
        {
            await FlowResponder.RedirectAsync(run.Http, redirect);
            return;
        }
        var error = ApiException.Forbidden(
            "Changing this needs a recent sign-in. Sign in again to confirm it is you; the change is applied afterwards.",
            "session_refresh_required", new JsonObject { ["redirect_browser_to"] = redirect });
        var body = ErrorWriter.ToJson(error);
        // Kratos compat: needsPrivilegedSessionError has the target at the top level as well.
        body["redirect_browser_to"] = redirect;
        await FlowResponder.JsonAsync(run.Http, body, 403);
    }

    private async Task ExpiredAsync(HttpContext ctx, SettingsFlow expired, SettingsFlow replacement, ClientKind client)
    {
        if (client == ClientKind.BrowserHtml)
        {
            await FlowResponder.RedirectAsync(ctx, urls.UiFlow(replacement.Id));
            return;
        }
        var since = DateTime.UtcNow - expired.ExpiresAt;
        var error = ApiException.Gone(
            $"The settings flow expired {since.TotalMinutes:0.00} minutes ago, initialize a new one.", "self_service_flow_expired",
            new JsonObject { ["use_flow_id"] = replacement.Id, ["since"] = (long)since.TotalNanoseconds, ["expired_at"] = expired.ExpiresAt });
        var body = ErrorWriter.ToJson(error);
        // Kratos compat: the replacement id is also at the top level (selfServiceFlowExpiredError).
        body["use_flow_id"] = replacement.Id;
        body["since"] = (long)since.TotalNanoseconds;
        body["expired_at"] = expired.ExpiresAt;
        await FlowResponder.JsonAsync(ctx, body, 410);
    }

    private bool IsPrivileged(Session session) =>
        session.AuthenticatedAt + urls.Config.PrivilegedSessionMaxAge > DateTime.UtcNow;

    private static string ContinuityName(SettingsFlow flow, ISettingsMethod method) => $"settings.{method.Id}.{flow.Id:N}";

    private sealed record Submission(HttpContext Http, SettingsFlow Flow, ClientKind Client, Session Session, Identity Identity,
        IdentitySchema Schema);
}
