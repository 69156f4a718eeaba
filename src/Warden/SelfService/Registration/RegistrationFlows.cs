using Microsoft.AspNetCore.Http;
using Warden.Http;
using Warden.Http.Flows;
using Warden.Methods;
using Warden.Persistence;
using Warden.Schemas;
using Warden.SelfService.Flows;
using Warden.SelfService.Hooks;
using Warden.SelfService.Login;
using Warden.Sessions;
using Warden.Ui;

namespace Warden.SelfService.Registration;

/// <summary>The registration flow: create (browser/native), submit, and the after hooks (e.g. <c>session</c>).</summary>
public sealed class RegistrationFlows(FlowFactory factory, FlowStore store, FlowGate gate, FlowResponder responder,
    SelfServiceUrls urls, MethodRegistry methods, HookRunner hooks, SessionManager sessions, IdentitySchemas schemas,
    ReturnToValidator returnTo)
{
    public async Task CreateAsync(HttpContext ctx, bool api)
    {
        var client = api ? ClientKind.Api : RequestKind.For(ctx.Request, apiFlow: false);
        try
        {
            EnsureEnabled();
            var q = ctx.Request.Query;
            var target = returnTo.Validate(q["return_to"]);
            string? schemaId = q["identity_schema"].ToString() is { Length: > 0 } s ? s : null;
            if (schemaId is not null) schemas.Get(schemaId);
            if (await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted) is not null)
            {
                if (client == ClientKind.BrowserHtml)
                {
                    await FlowResponder.RedirectAsync(ctx, target ?? urls.DefaultReturnUrl);
                    return;
                }
                throw LoginFlows.AlreadyLoggedIn();
            }
            var flow = await NewAsync(ctx, api, target, schemaId, null, null);
            await responder.FlowAsync(ctx, flow, client);
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, client);
        }
    }

    public async Task SubmitAsync(HttpContext ctx)
    {
        var gated = await gate.SubmitAsync(ctx, FlowKind.Registration, ReplaceAsync);
        if (gated is null) return;
        var (flow, client, body) = gated;
        try
        {
            EnsureEnabled();
            if (flow.State == "passed_challenge")
                throw ApiException.BadRequest("This registration flow was already completed. Start a new one.");
            if (await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted) is not null)
            {
                if (client == ClientKind.BrowserHtml)
                {
                    await FlowResponder.RedirectAsync(ctx, flow.ReturnTo ?? urls.DefaultReturnUrl);
                    return;
                }
                throw LoginFlows.AlreadyLoggedIn();
            }
            var methodId = FlowGate.Method(body);
            flow.Ui.ResetMessages();
            flow.Active = methodId;
            var schema = await schemas.GetReadyAsync(flow.IdentitySchema ?? schemas.DefaultSchemaId, ctx.RequestAborted);
            // The flow is stored as completed in the identity's own write (on PostgreSQL the same round trip); a
            // failed insert, a refusing hook or an error puts it back so it stays usable.
            var before = flow.State;
            string? written = null;
            SqlBatch Complete(SqlBatch rows)
            {
                flow.State = "passed_challenge";
                flow.Ui.ClearSecretValues();
                FlowStore.AddUpdate(rows, flow, out var stored);
                written = stored;
                return rows;
            }
            RegistrationOutcome outcome;
            if (methodId is null || !methods.Registration.TryGetValue(methodId, out var method))
            {
                flow.Ui.AddMessage(null, Messages.NoRegistrationMethod());
                outcome = RegistrationOutcome.Failed();
            }
            else outcome = await method.RegisterAsync(flow, schema, body, Complete, ctx.RequestAborted);

            if (!outcome.Succeeded)
            {
                flow.State = before;
                flow.Ui.ClearSecretValues();
                await store.UpdateAsync(flow, ctx.RequestAborted);
                await responder.ValidationFailedAsync(ctx, flow, client);
                return;
            }
            var hookContext = new HookContext
            {
                Http = ctx, Flow = flow, Client = client, Phase = HookPhase.After, Method = methodId,
                Identity = outcome.Identity, AuthenticationMethod = outcome.Method,
            };
            try
            {
                await hooks.RunAfterAsync(hookContext, ctx.RequestAborted);
            }
            catch (HookRefusal refusal)
            {
                // Like login: a hook's validation error is shown on the form, never as a 500 or error page.
                if (hookContext.Session is { } issued) await sessions.RevokeAsync(issued.Id, CancellationToken.None);
                flow.State = before;
                flow.Ui.AddMessage(null, refusal.UiMessage);
                flow.Ui.ClearSecretValues();
                await store.UpdateAsync(flow, ctx.RequestAborted);
                await responder.ValidationFailedAsync(ctx, flow, client);
                return;
            }
            catch
            {
                if (written is not null)
                {
                    flow.State = before;
                    await store.UpdateAsync(flow, CancellationToken.None);
                }
                throw;
            }
            flow.State = "passed_challenge";
            flow.Ui.ClearSecretValues();
            // Written again only when a method stored its identity without the flow, or a hook changed the flow
            // (show_verification_ui points return_to at the verification UI).
            if (written is null || FlowStore.Snapshot(flow) != written) await store.UpdateAsync(flow, ctx.RequestAborted);
            await responder.SuccessAsync(ctx, flow, client, methodId!, hookContext.Session, outcome.Identity, hookContext.ContinueWith);
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, client);
        }
    }

    public async Task GetAsync(HttpContext ctx)
    {
        EnsureEnabled();
        var flow = await gate.GetAsync(ctx, FlowKind.Registration, urls);
        await FlowResponder.JsonAsync(ctx, responder.FlowJson(ctx, flow));
    }

    private async Task<Flow> NewAsync(HttpContext ctx, bool api, string? target, string? schemaId, string? requestUrl, UiText? message)
    {
        var flow = factory.New(ctx, FlowKind.Registration, api, target, requestUrl);
        flow.IdentitySchema = schemaId;
        if (message is not null) flow.Ui.Messages.Add(message);
        var schema = await schemas.GetReadyAsync(schemaId ?? schemas.DefaultSchemaId, ctx.RequestAborted);
        foreach (var m in methods.Registration.Values) m.PopulateRegistration(flow, schema);
        await factory.SaveNewAsync(ctx, flow, api ? ClientKind.Api : RequestKind.For(ctx.Request, false));
        return flow;
    }

    private Task<Flow> ReplaceAsync(HttpContext ctx, Flow expired) =>
        NewAsync(ctx, expired.IsApi, expired.ReturnTo, expired.IdentitySchema, expired.RequestUrl,
            Messages.RegistrationFlowExpired(expired.ExpiresAt));

    private void EnsureEnabled()
    {
        if (!urls.FlowConfig(FlowKind.Registration).Enabled)
            throw ApiException.BadRequest("Registration is disabled on this server.", "self_service_flow_disabled");
    }
}
