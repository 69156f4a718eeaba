using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Config;
using Warden.Http;
using Warden.Http.Flows;
using Warden.Sessions;
using Warden.Schemas;

namespace Warden.SelfService.Logout;

/// <summary>
/// Browser logout (createBrowserLogoutFlow + updateLogoutFlow) and native logout (performNativeLogout).
/// The logout token is the CSRF defence: a cross-site GET to the logout URL cannot know it.
/// </summary>
internal static class LogoutEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/self-service/logout/browser", CreateBrowserAsync).WithName("createBrowserLogoutFlow");
        routes.MapGet("/self-service/logout", UpdateAsync).WithName("updateLogoutFlow");
        routes.MapDelete("/self-service/logout/api", NativeAsync).WithName("performNativeLogout");
    }

    private static async Task<IResult> CreateBrowserAsync(HttpContext context, SessionManager sessions, LogoutReturnTo returnTo, BaseUrls urls)
    {
        var session = await sessions.FromRequestAsync(context.Request, context.RequestAborted) ?? throw WhoamiEndpoint.NoActiveSession();
        var target = returnTo.Validate(context.Request.Query["return_to"]);
        var token = await sessions.LogoutTokenAsync(session, context.RequestAborted);
        var url = urls.PublicUrl("/self-service/logout") + "?token=" + Uri.EscapeDataString(token);
        if (target is not null) url += "&return_to=" + Uri.EscapeDataString(target);
        context.Response.Headers.CacheControl = WhoamiEndpoint.NoStore;
        return WardenJson.Json(new JsonObject { ["logout_url"] = url, ["logout_token"] = token });
    }

    /// <summary>
    /// Kratos compat: errors here happen on a page the browser navigated to, so HTML browsers are sent to the
    /// error UI (stored error) instead of being shown raw JSON; JSON callers get the error body.
    /// </summary>
    private static async Task UpdateAsync(HttpContext context, SessionManager sessions, LogoutReturnTo returnTo, WardenConfig config,
        FlowResponder responder)
    {
        var kind = RequestKind.WantsJson(context.Request) ? ClientKind.BrowserJson : ClientKind.BrowserHtml;
        string? target;
        try
        {
            target = await LogoutAsync(context, sessions, returnTo);
        }
        catch (ApiException e)
        {
            await responder.ErrorAsync(context, e, kind);
            return;
        }
        sessions.ClearCookie(context.Response);
        if (kind == ClientKind.BrowserJson)
        {
            context.Response.Headers.CacheControl = WhoamiEndpoint.NoStore;
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (config.Bool("selfservice.flows.logout.clear_browser_data") && context.Request.IsHttps)
            context.Response.Headers["Clear-Site-Data"] = "\"cache\", \"cookies\", \"storage\"";
        await FlowResponder.RedirectAsync(context, target ?? returnTo.Default);
    }

    /// <summary>Checks the token and return_to, then ends the session of this request; returns the validated return_to.</summary>
    private static async Task<string?> LogoutAsync(HttpContext context, SessionManager sessions, LogoutReturnTo returnTo)
    {
        var token = context.Request.Query["token"].ToString();
        if (token.Length == 0)
            throw ApiException.BadRequest("The logout URL must carry the logout token in its token query parameter.");
        // Validate before acting: a bad return_to must not leave the user logged out on an error page.
        var target = returnTo.Validate(context.Request.Query["return_to"]);
        var session = await sessions.FromRequestAsync(context.Request, context.RequestAborted);
        // Kratos compat: without a session there is nothing to end and the logout simply completes.
        if (session is null) return target;
        if (!await sessions.IsLogoutTokenAsync(session, token, context.RequestAborted))
            throw ApiException.Forbidden("The logout token does not belong to the session of this request.");
        await sessions.RevokeAsync(session.Id, context.RequestAborted);
        return target;
    }

    private static async Task<IResult> NativeAsync(HttpContext context, SessionManager sessions)
    {
        var body = await WardenJson.ReadObjectAsync(context.Request);
        var token = JsonKit.AsString(body["session_token"]);
        if (string.IsNullOrEmpty(token))
            throw ApiException.BadRequest("The request body must contain the session_token to revoke.");
        if (!await sessions.RevokeByTokenAsync(token, context.RequestAborted))
            throw ApiException.Forbidden("The session token is unknown, malformed or otherwise unusable.");
        return Results.NoContent();
    }
}
