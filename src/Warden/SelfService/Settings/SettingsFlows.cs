using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http;
using Warden.Http.Csrf;
using Warden.Http.Flows;
using Warden.Identities;
using Warden.Methods;
using Warden.Persistence;
using Warden.Schemas;
using Warden.SelfService.Flows;
using Warden.Sessions;
using Warden.Ui;

namespace Warden.SelfService.Settings;

/// <summary>
/// Creating and reading settings flows (browser, SPA, native). Every settings request needs a session,
/// and a flow is only ever shown to or changed by sessions of the identity it was created for.
/// </summary>
public sealed class SettingsFlows(SettingsFlowStore store, SettingsUrls urls, SelfServiceUrls selfService, SettingsMethodRegistry methods,
    SettingsHooks hooks, SessionManager sessions, IdentityService identities, IdentitySchemas schemas, IdentityJson identityJson,
    CsrfTokens csrf, FlowResponder responder, ReturnToValidator returnTo)
{
    public async Task CreateAsync(HttpContext ctx, bool api)
    {
        var client = api ? ClientKind.Api : RequestKind.For(ctx.Request, apiFlow: false);
        try
        {
            var target = returnTo.Validate(ctx.Request.Query["return_to"]);
            var session = await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted);
            if (session is null)
            {
                if (client == ClientKind.BrowserHtml)
                {
                    // Sign in first, then come back to this very request (return_to included).
                    var back = selfService.PublicBase(ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "");
                    await FlowResponder.RedirectAsync(ctx, urls.Login(back, refresh: false));
                    return;
                }
                throw NoSession();
            }
            var identity = await LoadIdentityAsync(session.IdentityId, ctx.RequestAborted);
            var flow = await NewAsync(ctx, identity, session, api, target, null, null);
            await ShowAsync(ctx, flow, identity, client);
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, client);
        }
    }

    /// <summary>getSettingsFlow: JSON for the owner's sessions only.</summary>
    public async Task GetAsync(HttpContext ctx)
    {
        var id = FlowStore.ParseId(ctx.Request.Query["id"], "id");
        var session = await sessions.FromRequestAsync(ctx.Request, ctx.RequestAborted) ?? throw NoSession();
        var flow = await store.GetAsync(id, ctx.RequestAborted) ?? throw ApiException.NotFound("The settings flow does not exist.");
        if (flow.IdentityId != session.IdentityId) throw IdentityMismatch();
        if (!flow.IsApi && !CsrfTokens.MatchesFingerprint(csrf.FromRequest(ctx.Request), flow.CsrfFingerprint))
            throw FlowGate.CsrfViolation();
        if (flow.IsExpired(DateTime.UtcNow))
            throw ApiException.Gone("The settings flow has expired. Start a new one at the init endpoint.", "self_service_flow_expired",
                new JsonObject { ["redirect_to"] = urls.BrowserInit, ["return_to"] = flow.ReturnTo });
        var identity = await LoadIdentityAsync(flow.IdentityId, ctx.RequestAborted);
        await FlowResponder.JsonAsync(ctx, Json(ctx, flow, identity));
    }

    /// <summary>
    /// A new settings flow for the session's identity, stored and ready to show. Public for flows that end
    /// in settings (recovery): pass the session they just issued. <paramref name="message"/> is shown on top.
    /// </summary>
    public async Task<SettingsFlow> NewAsync(HttpContext ctx, Identity identity, Session session, bool api, string? target,
        string? requestUrl, UiText? message)
    {
        var flow = await BuildAsync(ctx, identity, api, target, requestUrl, message);
        await hooks.RunBeforeAsync(ctx, flow, api ? ClientKind.Api : RequestKind.For(ctx.Request, false), identity, session);
        await store.InsertAsync(flow, ctx.RequestAborted);
        return flow;
    }

    /// <summary>A new flow with every method's form for <paramref name="identity"/>, not stored yet.</summary>
    internal async Task<SettingsFlow> BuildAsync(HttpContext ctx, Identity identity, bool api, string? target, string? requestUrl, UiText? message)
    {
        var schema = await schemas.GetReadyAsync(identity.SchemaId, ctx.RequestAborted);
        var now = DateTime.UtcNow;
        var flow = new SettingsFlow
        {
            Id = RowIds.New(),
            Type = api ? "api" : "browser",
            IssuedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + urls.Config.Lifespan,
            RequestUrl = requestUrl ?? selfService.PublicBase(ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? ""),
            ReturnTo = target,
            IdentityId = identity.Id,
        };
        flow.Ui.Action = urls.Action(flow.Id);
        // Kratos compat: API flows carry the csrf_token node too, with an empty value.
        flow.Ui.Nodes.Add(UiNode.Input(UiGroups.Default, "csrf_token", "hidden", required: true));
        if (!api) flow.CsrfFingerprint = CsrfTokens.Fingerprint(csrf.Ensure(ctx));
        if (message is not null) flow.Ui.Messages.Add(message);
        foreach (var m in methods.All) m.PopulateSettings(flow, identity, schema);
        return flow;
    }

    /// <summary>A flow to show: HTML browsers go to the settings UI, everyone else gets the flow JSON.</summary>
    public Task ShowAsync(HttpContext ctx, SettingsFlow flow, Identity identity, ClientKind client, int status = 200,
        JsonArray? continueWith = null)
    {
        if (client == ClientKind.BrowserHtml) return FlowResponder.RedirectAsync(ctx, urls.UiFlow(flow.Id));
        return FlowResponder.JsonAsync(ctx, Json(ctx, flow, identity, continueWith), status);
    }

    public JsonObject Json(HttpContext ctx, SettingsFlow flow, Identity identity, JsonArray? continueWith = null) =>
        flow.ToJson(identityJson.ToJson(identity), flow.IsApi ? null : CsrfTokens.Mask(csrf.Ensure(ctx)), continueWith);

    /// <summary>The identity with credentials (the password method needs its identifiers).</summary>
    internal async Task<Identity> LoadIdentityAsync(Guid id, CancellationToken ct) =>
        await identities.GetAsync(id, includeCredentials: true, ct)
        // The session was found a moment ago; the identity went away in between.
        ?? throw NoSession();

    internal static ApiException NoSession() =>
        ApiException.Unauthorized("No active session was found in this request. Sign in first.", "session_inactive");

    internal static ApiException IdentityMismatch() => ApiException.Forbidden(
        "This settings flow belongs to another account than the one signed in. Start a new settings flow.", "security_identity_mismatch");
}
