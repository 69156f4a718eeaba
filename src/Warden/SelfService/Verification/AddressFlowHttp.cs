using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http;
using Warden.Http.Csrf;
using Warden.Http.Flows;
using Warden.Methods;
using Warden.Methods.Code;
using Warden.Persistence;
using Warden.SelfService.Flows;
using Warden.Ui;

namespace Warden.SelfService.Verification;

/// <summary>A verification/recovery submission that passed the flow-level checks.</summary>
public sealed record AddressSubmission(AddressFlow Flow, ClientKind Client, JsonObject Body);

/// <summary>
/// The HTTP side shared by verification and recovery: creating flows bound to the browser's CSRF token,
/// the checks every submission goes through (known flow, API flows not used by browsers, readable body,
/// not expired, CSRF), rendering, and answers for HTML browsers, SPAs and native apps. Mirrors
/// <see cref="FlowGate"/>/<see cref="FlowResponder"/> for the login-style flows.
/// </summary>
public sealed class AddressFlowHttp(AddressFlowStore store, AddressFlowUrls urls, AddressFlowOptions options, CsrfTokens csrf,
    FlowResponder responder, AddressMethodRegistry methods)
{
    /// <summary>A new flow in <c>choose_method</c> with the configured method's form (not stored yet).</summary>
    public AddressFlow New(HttpContext? ctx, AddressFlowKind kind, bool api, string? returnTo, string? requestUrl = null,
        TimeSpan? lifespan = null)
    {
        var now = DateTime.UtcNow;
        var flow = new AddressFlow
        {
            Id = RowIds.New(),
            Kind = kind,
            Type = api ? "api" : "browser",
            IssuedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + (lifespan ?? options.For(kind).Lifespan),
            RequestUrl = requestUrl ?? (ctx is null ? "" : urls.PublicUrl((ctx.Request.Path.Value ?? "/") + ctx.Request.QueryString.Value)),
            ReturnTo = returnTo,
        };
        flow.Ui.Action = urls.Action(kind, flow.Id);
        if (Method(kind) is { } m) m.PopulateChooseMethod(flow);
        else flow.Ui.Nodes.Add(CodeAddressMethod.Csrf());
        if (!api && ctx is not null) flow.CsrfFingerprint = CsrfTokens.Fingerprint(csrf.Ensure(ctx));
        return flow;
    }

    /// <summary>The configured method of a flow kind, or null when it is disabled.</summary>
    public IAddressFlowMethod? Method(AddressFlowKind kind) =>
        options.MethodFor(kind) is { } id && methods.All.TryGetValue(id, out var m) ? m : null;

    /// <summary>The method a submission to <paramref name="flow"/> uses: an admin-created flow keeps the method it was made for.</summary>
    public IAddressFlowMethod? MethodFor(AddressFlow flow) =>
        flow.IdentityId is not null && flow.Active is { } a && options.MethodEnabled(a) && methods.All.TryGetValue(a, out var m)
            ? m
            : Method(flow.Kind);

    /// <summary>
    /// Loads and checks a submission; null when an answer was already written. GET submissions carrying the
    /// mailed code or token skip the CSRF check: the link may be opened in another browser and the secret
    /// itself is the proof.
    /// </summary>
    public async Task<AddressSubmission?> SubmitAsync(HttpContext ctx, AddressFlowKind kind)
    {
        var guess = RequestKind.For(ctx.Request, apiFlow: false);
        AddressFlow? flow;
        try
        {
            var id = FlowStore.ParseId(ctx.Request.Query["flow"], "flow");
            flow = await store.GetAsync(kind, id, ctx.RequestAborted)
                ?? throw ApiException.NotFound($"The {AddressFlow.KindName(kind)} flow does not exist or was already used.");
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, guess);
            return null;
        }
        var client = RequestKind.For(ctx.Request, flow.IsApi);
        try
        {
            var mailedLink = HttpMethods.IsGet(ctx.Request.Method);
            if (flow.IsApi && !mailedLink && (ctx.Request.Headers.Cookie.Count > 0 || ctx.Request.Headers.Origin.Count > 0))
                throw ApiException.BadRequest(
                    "This flow was created for native apps, but the request carries cookies or an Origin header like a browser. Browsers must use the browser flow endpoints.");
            var body = await FlowBody.ReadAsync(ctx.Request);
            if (flow.IsExpired(DateTime.UtcNow))
            {
                var fresh = await ReplaceAsync(ctx, flow);
                await ExpiredAsync(ctx, fresh, flow.ExpiresAt, client);
                return null;
            }
            if (!flow.IsApi && !flow.SkipCsrf && !mailedLink && !FlowGate.SubmittedCsrfValid(csrf, ctx.Request, body))
                throw FlowGate.CsrfViolation();
            if (FlowGate.TransientPayload(body) is { } tp) flow.TransientPayload = tp;
            return new AddressSubmission(flow, client, body);
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, client);
            return null;
        }
    }

    /// <summary>
    /// <c>getXFlow</c>. Browser flows are shown only to their browser (CSRF cookie), except admin-created
    /// flows and verified flows, which hold nothing secret and are typically opened from a mail in any browser.
    /// </summary>
    public async Task<AddressFlow> GetAsync(HttpContext ctx, AddressFlowKind kind)
    {
        var id = FlowStore.ParseId(ctx.Request.Query["id"], "id");
        var flow = await store.GetAsync(kind, id, ctx.RequestAborted)
            ?? throw ApiException.NotFound($"The {AddressFlow.KindName(kind)} flow does not exist.");
        var open = flow.IsApi || flow.SkipCsrf || (kind == AddressFlowKind.Verification && flow.State == AddressFlow.States.PassedChallenge);
        if (!open && !CsrfTokens.MatchesFingerprint(csrf.FromRequest(ctx.Request), flow.CsrfFingerprint))
            throw FlowGate.CsrfViolation();
        if (flow.IsExpired(DateTime.UtcNow))
            throw ApiException.Gone($"The {AddressFlow.KindName(kind)} flow has expired. Start a new one at the init endpoint.",
                "self_service_flow_expired", new JsonObject { ["redirect_to"] = urls.BrowserInit(kind), ["return_to"] = flow.ReturnTo });
        return flow;
    }

    public JsonObject Json(HttpContext ctx, AddressFlow flow) =>
        flow.ToJson(flow.IsApi ? null : CsrfTokens.Mask(csrf.Ensure(ctx)));

    /// <summary>A flow to show: HTML browsers go to its UI page, others get the JSON.</summary>
    public Task FlowAsync(HttpContext ctx, AddressFlow flow, ClientKind client, int status = 200) =>
        client == ClientKind.BrowserHtml
            ? FlowResponder.RedirectAsync(ctx, urls.UiFlow(flow.Kind, flow.Id))
            : FlowResponder.JsonAsync(ctx, Json(ctx, flow), status);

    public Task ErrorAsync(HttpContext ctx, ApiException error, ClientKind client) => responder.ErrorAsync(ctx, error, client);

    /// <summary>A failed submission: the flow keeps its messages; HTML browsers return to the form, others get 400.</summary>
    public async Task FailAsync(HttpContext ctx, AddressFlow flow, ClientKind client)
    {
        await store.UpdateAsync(flow, ct: ctx.RequestAborted);
        await FlowAsync(ctx, flow, client, 400);
    }

    /// <summary>A new flow of the same kind, type and return_to for an expired one, saying why it replaced it.</summary>
    private async Task<AddressFlow> ReplaceAsync(HttpContext ctx, AddressFlow expired)
    {
        var fresh = New(ctx, expired.Kind, expired.IsApi, expired.ReturnTo, expired.RequestUrl);
        fresh.Ui.Messages.Add(Messages.FlowExpired(expired.Kind, expired.ExpiresAt));
        await store.InsertAsync(fresh, ct: ctx.RequestAborted);
        return fresh;
    }

    /// <summary>A submission to an expired flow: HTML browsers go to the replacement, others get 410 with <c>use_flow_id</c>.</summary>
    public Task ExpiredAsync(HttpContext ctx, AddressFlow replacement, DateTime expiredAt, ClientKind client)
    {
        if (client == ClientKind.BrowserHtml) return FlowResponder.RedirectAsync(ctx, urls.UiFlow(replacement.Kind, replacement.Id));
        var since = DateTime.UtcNow - expiredAt;
        var error = ApiException.Gone(
            $"The self-service flow expired {since.TotalMinutes:0.00} minutes ago, initialize a new one.",
            "self_service_flow_expired",
            new JsonObject { ["use_flow_id"] = replacement.Id, ["since"] = (long)since.TotalNanoseconds, ["expired_at"] = expiredAt });
        var body = ErrorWriter.ToJson(error);
        // Kratos compat: the replacement id is also at the top level (selfServiceFlowExpiredError).
        body["use_flow_id"] = replacement.Id;
        body["since"] = (long)since.TotalNanoseconds;
        body["expired_at"] = expiredAt;
        return FlowResponder.JsonAsync(ctx, body, 410);
    }

    internal static string? Text(JsonObject body, string key) => FlowGate.Text(body, key);
}
