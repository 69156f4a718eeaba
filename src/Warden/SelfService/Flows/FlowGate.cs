using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http;
using Warden.Http.Csrf;
using Warden.Http.Flows;
using Warden.Identities;
using Warden.Schemas;

namespace Warden.SelfService.Flows;

/// <summary>
/// A submission that passed every flow-level check: the flow, who sent it, the parsed body, and the identity read
/// with the flow when the endpoint asked for one.
/// </summary>
public sealed record GatedSubmission(Flow Flow, ClientKind Kind, JsonObject Body)
{
    public IdentityPrefetch? Prefetched { get; init; }
}

/// <summary>
/// The checks every flow submission goes through before a method sees it, in order: a known flow, API
/// flows not used from browsers, a readable body, not expired (a replacement flow is offered), and for
/// browser flows a valid CSRF token. Returns null when a response has already been written.
/// </summary>
public sealed class FlowGate(FlowStore store, CsrfTokens csrf, FlowResponder responder)
{
    /// <summary>
    /// With <paramref name="lookup"/> the body is read before the flow, and the identity it names (if any) is read
    /// in the flow's own command; errors keep their order (an unknown flow is a 404 even when the body is bad).
    /// </summary>
    public async Task<GatedSubmission?> SubmitAsync(HttpContext ctx, FlowKind kind, Func<HttpContext, Flow, Task<Flow>> replace,
        Func<JsonObject, IdentityLookup?>? lookup = null)
    {
        var guess = RequestKind.For(ctx.Request, apiFlow: false);
        Flow? flow;
        JsonObject? early = null;
        ApiException? bodyError = null;
        IdentityPrefetch? prefetched = null;
        try
        {
            var id = FlowStore.ParseId(ctx.Request.Query["flow"], "flow");
            if (lookup is not null)
            {
                try { early = await FlowBody.ReadAsync(ctx.Request); }
                catch (ApiException e) { bodyError = e; }
            }
            if (early is not null && lookup!(early) is { } wanted)
                (flow, prefetched) = await store.GetAsync(kind, id, wanted, ctx.RequestAborted);
            else flow = await store.GetAsync(kind, id, ctx.RequestAborted);
            if (flow is null) throw ApiException.NotFound($"The {SelfServiceUrls.Segment(kind)} flow does not exist or was already used.");
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, guess);
            return null;
        }
        var client = RequestKind.For(ctx.Request, flow.IsApi);
        try
        {
            if (flow.IsApi && (ctx.Request.Headers.Cookie.Count > 0 || ctx.Request.Headers.Origin.Count > 0))
                throw ApiException.BadRequest(
                    "This flow was created for native apps, but the request carries cookies or an Origin header like a browser. Browsers must use the browser flow endpoints.");
            if (bodyError is not null) throw bodyError;
            var body = early ?? await FlowBody.ReadAsync(ctx.Request);
            if (flow.IsExpired(DateTime.UtcNow))
            {
                var fresh = await replace(ctx, flow);
                await responder.ExpiredAsync(ctx, fresh, flow.ExpiresAt, client);
                return null;
            }
            if (!flow.IsApi && !SubmittedCsrfValid(csrf, ctx.Request, body)) throw CsrfViolation();
            if (TransientPayload(body) is { } tp) flow.TransientPayload = tp;
            return new GatedSubmission(flow, client, body) { Prefetched = prefetched };
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(ctx, e, client);
            return null;
        }
    }

    /// <summary>
    /// <c>getXFlow</c>: the flow for rendering. Browser flows are only shown to the browser that owns them
    /// (its CSRF cookie must match); expired flows are 410 and point at the init endpoint.
    /// </summary>
    public async Task<Flow> GetAsync(HttpContext ctx, FlowKind kind, SelfServiceUrls urls)
    {
        var id = FlowStore.ParseId(ctx.Request.Query["id"], "id");
        var flow = await store.GetAsync(kind, id, ctx.RequestAborted)
            ?? throw ApiException.NotFound($"The {SelfServiceUrls.Segment(kind)} flow does not exist.");
        if (!flow.IsApi && !CsrfTokens.MatchesFingerprint(csrf.FromRequest(ctx.Request), flow.CsrfFingerprint))
            throw CsrfViolation();
        if (flow.IsExpired(DateTime.UtcNow))
            throw ApiException.Gone($"The {SelfServiceUrls.Segment(kind)} flow has expired. Start a new one at the init endpoint.",
                "self_service_flow_expired", new JsonObject
                {
                    ["redirect_to"] = urls.BrowserInit(kind),
                    ["return_to"] = flow.ReturnTo,
                });
        return flow;
    }

    public static ApiException CsrfViolation() => ApiException.Forbidden(
        "The request was rejected because its anti-CSRF token is missing or does not match this browser. Start the flow again; clearing this site's cookies may help.",
        "security_csrf_violation");

    /// <summary>
    /// The token a submission carries (form/JSON field <c>csrf_token</c>, or the <c>X-CSRF-Token</c> header)
    /// checked against this browser's CSRF cookie. Every browser flow's submit uses this one check.
    /// </summary>
    public static bool SubmittedCsrfValid(CsrfTokens csrf, HttpRequest request, JsonObject body) =>
        CsrfTokens.Verify(csrf.FromRequest(request), Text(body, "csrf_token") ?? request.Headers["X-CSRF-Token"].FirstOrDefault());

    /// <summary>A submission's <c>transient_payload</c>: null when absent, a 400 when it is not an object.</summary>
    public static JsonObject? TransientPayload(JsonObject body) => body["transient_payload"] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw ApiException.BadRequest("The field 'transient_payload' must be an object."),
    };

    /// <summary>The submitted <c>method</c> key that picks the method a flow dispatches to; null when absent or not a string.</summary>
    public static string? Method(JsonObject body) => Text(body, "method");

    internal static string? Text(JsonObject body, string key) => JsonKit.AsString(body[key]);
}
