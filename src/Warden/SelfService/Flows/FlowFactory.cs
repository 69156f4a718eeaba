using Microsoft.AspNetCore.Http;
using Warden.Http.Csrf;
using Warden.Http.Flows;
using Warden.Persistence;
using Warden.SelfService.Hooks;
using Warden.Ui;

namespace Warden.SelfService.Flows;

/// <summary>Creates the common part of every flow (ids, times, action, CSRF binding) and stores it after the before hooks ran.</summary>
public sealed class FlowFactory(FlowStore store, CsrfTokens csrf, SelfServiceUrls urls, HookRunner hooks)
{
    public Flow New(HttpContext ctx, FlowKind kind, bool api, string? returnTo, string? requestUrl = null)
    {
        var now = DateTime.UtcNow;
        var flow = new Flow
        {
            Id = RowIds.New(),
            Kind = kind,
            Type = api ? "api" : "browser",
            IssuedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + urls.FlowConfig(kind).Lifespan,
            RequestUrl = requestUrl ?? RequestUrl(ctx),
            ReturnTo = returnTo,
        };
        flow.Ui.Action = urls.Action(kind, flow.Id);
        // Kratos compat: API flows carry the csrf_token node too, with an empty value.
        flow.Ui.Nodes.Add(UiNode.Input(UiGroups.Default, "csrf_token", "hidden", required: true));
        if (!api) flow.CsrfFingerprint = CsrfTokens.Fingerprint(csrf.Ensure(ctx));
        return flow;
    }

    /// <summary>Runs the before hooks (which may reject the flow) and stores it.</summary>
    public async Task SaveNewAsync(HttpContext ctx, Flow flow, ClientKind client)
    {
        await hooks.RunBeforeAsync(new HookContext { Http = ctx, Flow = flow, Client = client, Phase = HookPhase.Before }, ctx.RequestAborted);
        await store.InsertAsync(flow, ctx.RequestAborted);
    }

    /// <summary>The URL the flow was requested with, on the public base URL (what Kratos reports as request_url).</summary>
    private string RequestUrl(HttpContext ctx) =>
        urls.PublicBase(ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "");
}
