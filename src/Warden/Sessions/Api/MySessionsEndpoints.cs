using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Config;
using Warden.Http;

namespace Warden.Sessions.Api;

/// <summary>
/// The caller's own sessions on the public port: listMySessions, disableMyOtherSessions, disableMySession.
/// Authenticated like whoami (session token header, bearer, or cookie).
/// </summary>
internal static class MySessionsEndpoints
{
    public const int MaxPageSize = 500;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/sessions", ListAsync).WithName("listMySessions");
        routes.MapDelete("/sessions", DisableOthersAsync).WithName("disableMyOtherSessions");
        routes.MapDelete("/sessions/{id}", DisableAsync).WithName("disableMySession");
    }

    private static async Task<Session> CurrentAsync(HttpContext context, SessionManager sessions, BaseUrls urls)
    {
        var session = await sessions.FromRequestAsync(context.Request, context.RequestAborted) ?? throw WhoamiEndpoint.NoActiveSession();
        // Managing sessions is at least as sensitive as reading whoami: the same AAL rule applies.
        WhoamiEndpoint.RequireAal(session, sessions.Options.WhoamiRequiredAal, urls);
        context.Response.Headers.CacheControl = WhoamiEndpoint.NoStore;
        return session;
    }

    /// <summary>The caller's other active sessions (the current one is whoami's), identity and devices included.</summary>
    private static async Task<IResult> ListAsync(HttpContext context, SessionManager sessions, SessionListStore list, BaseUrls urls)
    {
        var paging = SessionListRequest.Read(context.Request, MaxPageSize);
        var current = await CurrentAsync(context, sessions, urls);
        var page = await list.ListAsync(new SessionQuery
        {
            IdentityId = current.IdentityId,
            ExceptId = current.Id,
            Active = true,
            After = paging.After,
            Offset = paging.Offset,
            PageSize = paging.Size,
            ExpandIdentity = true,
            ExpandDevices = true,
        }, context.RequestAborted);
        paging.WriteLinks(context, urls.PublicUrl("/sessions"), page);
        return WardenJson.Json(new JsonArray(page.Items.Select(s => (JsonNode)sessions.ToJson(s)).ToArray()));
    }

    private static async Task<IResult> DisableOthersAsync(HttpContext context, SessionManager sessions, BaseUrls urls)
    {
        var current = await CurrentAsync(context, sessions, urls);
        var count = await sessions.RevokeOthersAsync(current.IdentityId, current.Id, context.RequestAborted);
        return WardenJson.Json(new JsonObject { ["count"] = count });
    }

    private static async Task<IResult> DisableAsync(string id, HttpContext context, SessionManager sessions, SessionStore store, BaseUrls urls)
    {
        var current = await CurrentAsync(context, sessions, urls);
        var sessionId = SessionListRequest.ParseId(id);
        if (sessionId == current.Id)
            throw ApiException.BadRequest("The session of this request cannot be revoked here; sign out instead.");
        // Kratos compat: another identity's session is indistinguishable from an unknown one (404).
        if (!await store.DeactivateOwnAsync(current.IdentityId, sessionId, context.RequestAborted))
            throw ApiException.NotFound("No session with this id belongs to the signed-in identity.");
        return Results.NoContent();
    }
}
