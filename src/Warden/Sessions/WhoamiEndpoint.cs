using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Config;
using Warden.Http;
using Warden.Sessions.Cache;

namespace Warden.Sessions;

/// <summary>
/// <c>GET /sessions/whoami</c> (toSession): read-only; answered from the session cache, or with one database
/// round trip when the session is not cached.
/// </summary>
internal static class WhoamiEndpoint
{
    public const string NoStore = "private, no-cache, no-store, must-revalidate";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/sessions/whoami", HandleAsync).WithName("toSession");

    private static async Task<IResult> HandleAsync(HttpContext context, WhoamiReader reader, SessionManager sessions, BaseUrls urls)
    {
        if (!string.IsNullOrEmpty(context.Request.Query["tokenize_as"]))
            throw ApiException.BadRequest("Session tokenization (tokenize_as) is not supported by this server.");
        var answer = await reader.ReadAsync(context.Request, context.RequestAborted) ?? throw NoActiveSession();
        var s = answer.Session;
        RequireAal(s.Aal, s.IdentityAvailableAal, sessions.Options.WhoamiRequiredAal, urls);
        sessions.RefreshCookieIfStale(context.Response, answer.CookieToken, answer.CookieExpiresAt, s.ExpiresAt);
        context.Response.Headers.CacheControl = NoStore;
        context.Response.Headers["X-Kratos-Authenticated-Identity-Id"] = s.IdentityId.ToString("D");
        return Results.Bytes(s.Json, WardenJson.ContentType);
    }

    public static ApiException NoActiveSession() =>
        ApiException.Unauthorized("The request carries no valid session cookie or session token, or the session has ended.", "session_inactive");

    /// <summary>
    /// <c>highest_available</c>: a session below what the identity has set up (e.g. password only while TOTP
    /// is configured) is refused with 403 session_aal2_required and a link to step up.
    /// </summary>
    internal static void RequireAal(Session session, string required, BaseUrls urls) =>
        RequireAal(session.Aal, session.IdentityAvailableAal, required, urls);

    private static void RequireAal(string aal, string? identityAvailableAal, string required, BaseUrls urls)
    {
        if (required != "highest_available") return;
        var available = identityAvailableAal is "aal2" or "aal3" ? identityAvailableAal : "aal1";
        if (string.CompareOrdinal(aal, available) >= 0) return;
        var redirect = urls.PublicUrl("/self-service/login/browser") + "?aal=" + available;
        throw ApiException.Forbidden(
            "A session was found, but it was not authenticated with the second factor this identity has set up.",
            "session_aal2_required", new JsonObject { ["redirect_browser_to"] = redirect });
    }
}
