using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Config;
using Warden.Http;

namespace Warden.Sessions;

/// <summary><c>GET /sessions/whoami</c> (toSession): read-only, one database round trip.</summary>
internal static class WhoamiEndpoint
{
    public const string NoStore = "private, no-cache, no-store, must-revalidate";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/sessions/whoami", HandleAsync).WithName("toSession");

    private static async Task<IResult> HandleAsync(HttpContext context, SessionManager sessions, BaseUrls urls)
    {
        if (!string.IsNullOrEmpty(context.Request.Query["tokenize_as"]))
            throw ApiException.BadRequest("Session tokenization (tokenize_as) is not supported by this server.");
        var session = await sessions.FromRequestAsync(context.Request, context.RequestAborted) ?? throw NoActiveSession();
        RequireAal(session, sessions.Options.WhoamiRequiredAal, urls);
        sessions.RefreshCookieIfStale(context.Response, session);
        context.Response.Headers.CacheControl = NoStore;
        context.Response.Headers["X-Kratos-Authenticated-Identity-Id"] = session.IdentityId.ToString("D");
        return WardenJson.Json(sessions.ToJson(session));
    }

    public static ApiException NoActiveSession() =>
        ApiException.Unauthorized("The request carries no valid session cookie or session token, or the session has ended.", "session_inactive");

    /// <summary>
    /// <c>highest_available</c>: a session below what the identity has set up (e.g. password only while TOTP
    /// is configured) is refused with 403 session_aal2_required and a link to step up.
    /// </summary>
    internal static void RequireAal(Session session, string required, BaseUrls urls)
    {
        if (required != "highest_available") return;
        var available = session.IdentityAvailableAal is "aal2" or "aal3" ? session.IdentityAvailableAal : "aal1";
        if (string.CompareOrdinal(session.Aal, available) >= 0) return;
        var redirect = urls.PublicUrl("/self-service/login/browser") + "?aal=" + available;
        throw ApiException.Forbidden(
            "A session was found, but it was not authenticated with the second factor this identity has set up.",
            "session_aal2_required", new JsonObject { ["redirect_browser_to"] = redirect });
    }
}
