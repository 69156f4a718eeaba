using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http.Csrf;
using Warden.Identities;
using Warden.SelfService;
using Warden.SelfService.Errors;
using Warden.SelfService.Flows;
using Warden.Sessions;

namespace Warden.Http.Flows;

/// <summary>
/// The one place that turns flow outcomes into HTTP: redirects for HTML browsers, JSON for SPAs and
/// native apps. Endpoints and methods decide what happened; this decides how it looks on the wire.
/// </summary>
public sealed class FlowResponder(SelfServiceUrls urls, CsrfTokens csrf, ErrorStore errors, SessionManager sessions,
    IdentityJson identityJson)
{
    public const string NoCache = "private, no-cache, no-store, must-revalidate";

    /// <summary>A flow to show: JSON with a freshly masked CSRF token, or a redirect to its UI.</summary>
    public Task FlowAsync(HttpContext ctx, Flow flow, ClientKind kind, int status = 200)
    {
        if (kind == ClientKind.BrowserHtml) return RedirectAsync(ctx, urls.UiFlow(flow.Kind, flow.Id));
        return JsonAsync(ctx, FlowJson(ctx, flow), status);
    }

    public JsonObject FlowJson(HttpContext ctx, Flow flow) =>
        flow.ToJson(flow.IsApi ? null : CsrfTokens.Mask(csrf.Ensure(ctx)));

    /// <summary>A failed submission: HTML browsers return to the form (which shows the stored messages), others get 400 and the flow.</summary>
    public Task ValidationFailedAsync(HttpContext ctx, Flow flow, ClientKind kind) => FlowAsync(ctx, flow, kind, 400);

    /// <summary>
    /// An error that has no flow to show it on. HTML browsers are sent to the error UI with a stored copy;
    /// everyone else gets the error JSON.
    /// </summary>
    public async Task ErrorAsync(HttpContext ctx, ApiException error, ClientKind kind)
    {
        if (kind != ClientKind.BrowserHtml) throw error;
        var id = await errors.AddAsync(error, ctx.RequestAborted);
        await RedirectAsync(ctx, urls.UiError(id));
    }

    /// <summary>
    /// A submission to an expired flow: a replacement flow was created; HTML browsers go to it, others get
    /// 410 with <c>use_flow_id</c>.
    /// </summary>
    public Task ExpiredAsync(HttpContext ctx, Flow replacement, DateTime expiredAt, ClientKind kind)
    {
        if (kind == ClientKind.BrowserHtml) return RedirectAsync(ctx, urls.UiFlow(replacement.Kind, replacement.Id));
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
        return JsonAsync(ctx, body, 410);
    }

    /// <summary>
    /// A completed flow. HTML browsers get the session cookie and a 303 to the return URL; SPAs the cookie
    /// and <c>{session, identity?, continue_with}</c>; native apps the session token in the body, never a cookie.
    /// </summary>
    public Task SuccessAsync(HttpContext ctx, Flow flow, ClientKind kind, string method, Session? session,
        Identity? registered, JsonArray continueWith)
    {
        var returnTo = urls.AfterSuccess(flow, method);
        if (session is not null && kind != ClientKind.Api) sessions.WriteCookie(ctx.Response, session);
        if (kind == ClientKind.BrowserHtml) return RedirectAsync(ctx, returnTo);
        var body = new JsonObject();
        if (kind == ClientKind.Api && session?.Token is { } token)
        {
            body["session_token"] = token;
            continueWith.Add(new JsonObject { ["action"] = "set_ory_session_token", ["ory_session_token"] = token });
        }
        if (session is not null) body["session"] = sessions.ToJson(session);
        if (registered is not null) body["identity"] = identityJson.ToJson(registered);
        if (kind == ClientKind.BrowserJson && flow.ReturnTo is { Length: > 0 })
            continueWith.Add(new JsonObject { ["action"] = "redirect_browser_to", ["redirect_browser_to"] = returnTo });
        body["continue_with"] = continueWith;
        return JsonAsync(ctx, body);
    }

    public static async Task JsonAsync(HttpContext ctx, JsonObject body, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.Headers.CacheControl = NoCache;
        await ctx.Response.WriteAsync(body.ToJsonString(WardenJson.Options), ctx.RequestAborted);
    }

    /// <summary>303 See Other with a tiny HTML body, like Kratos.</summary>
    public static async Task RedirectAsync(HttpContext ctx, string location)
    {
        ctx.Response.StatusCode = StatusCodes.Status303SeeOther;
        ctx.Response.Headers.Location = location;
        ctx.Response.Headers.CacheControl = NoCache;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync($"<a href=\"{WebUtility.HtmlEncode(location)}\">See Other</a>.\n", ctx.RequestAborted);
    }
}
