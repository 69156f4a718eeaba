using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Config;
using Warden.Http;

namespace Warden.Sessions.Api;

/// <summary>
/// Session administration on the admin port: listSessions, getSession, disableSession, extendSession,
/// listIdentitySessions, deleteIdentitySessions. The identity-scoped routes use templates of their own
/// (<c>/admin/identities/{id}/sessions</c>) beside the identities feature's routes.
/// </summary>
internal static class AdminSessionsEndpoints
{
    public const int MaxListPageSize = 1000;
    public const int MaxIdentityPageSize = 500;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin/sessions", ListAsync).WithName("listSessions");
        routes.MapGet("/admin/sessions/{id}", GetAsync).WithName("getSession");
        routes.MapDelete("/admin/sessions/{id}", DisableAsync).WithName("disableSession");
        routes.MapPatch("/admin/sessions/{id}/extend", ExtendAsync).WithName("extendSession");
        routes.MapGet("/admin/identities/{id}/sessions", ListForIdentityAsync).WithName("listIdentitySessions");
        routes.MapDelete("/admin/identities/{id}/sessions", DeleteForIdentityAsync).WithName("deleteIdentitySessions");
    }

    private static async Task<IResult> ListAsync(HttpContext context, SessionManager sessions, SessionListStore list, BaseUrls urls)
    {
        var request = context.Request;
        var paging = SessionListRequest.Read(request, MaxListPageSize);
        var (identity, devices) = SessionListRequest.Expand(request);
        var page = await list.ListAsync(new SessionQuery
        {
            Active = SessionListRequest.Active(request),
            After = paging.After,
            Offset = paging.Offset,
            PageSize = paging.Size,
            ExpandIdentity = identity,
            ExpandDevices = devices,
        }, context.RequestAborted);
        paging.WriteLinks(context, urls.AdminUrl("/admin/sessions"), page);
        return Render(sessions, page, devices);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, SessionManager sessions, SessionListStore list)
    {
        var sessionId = SessionListRequest.ParseId(id);
        var (identity, devices) = SessionListRequest.Expand(context.Request);
        var session = await list.GetAsync(sessionId, identity, devices, context.RequestAborted) ?? throw NotFound();
        return WardenJson.Json(sessions.ToJson(session, adminIdentity: true, devices: devices));
    }

    private static async Task<IResult> DisableAsync(string id, HttpContext context, SessionStore store)
    {
        var sessionId = SessionListRequest.ParseId(id);
        if (!await store.DeactivateAsync(sessionId, context.RequestAborted)) throw NotFound();
        return Results.NoContent();
    }

    /// <summary>
    /// Kratos compat: 204 both when the session was extended and when it was not yet due under
    /// <c>session.earliest_possible_extend</c> (then nothing changes); 404 for an unknown session.
    /// </summary>
    private static async Task<IResult> ExtendAsync(string id, HttpContext context, SessionManager sessions)
    {
        var sessionId = SessionListRequest.ParseId(id);
        if (await sessions.ExtendAsync(sessionId, context.RequestAborted) is null) throw NotFound();
        return Results.NoContent();
    }

    /// <summary>Every session of one identity (all states unless <c>active</c> says otherwise), identity and devices included.</summary>
    private static async Task<IResult> ListForIdentityAsync(string id, HttpContext context, SessionManager sessions, SessionListStore list, BaseUrls urls)
    {
        var request = context.Request;
        var identityId = SessionListRequest.ParseId(id);
        var paging = SessionListRequest.Read(request, MaxIdentityPageSize);
        var active = SessionListRequest.Active(request);
        if (!await list.IdentityExistsAsync(identityId, context.RequestAborted)) throw NotFound();
        var page = await list.ListAsync(new SessionQuery
        {
            IdentityId = identityId,
            Active = active,
            After = paging.After,
            Offset = paging.Offset,
            PageSize = paging.Size,
            ExpandIdentity = true,
            ExpandDevices = true,
        }, context.RequestAborted);
        paging.WriteLinks(context, urls.AdminUrl($"/admin/identities/{identityId:D}/sessions"), page);
        return Render(sessions, page, devices: true);
    }

    /// <summary>
    /// Deletes the identity's sessions (204). An unknown identity is a 404; an identity without sessions is a
    /// 204 (Kratos answers 404 there, which tells the caller nothing useful).
    /// </summary>
    private static async Task<IResult> DeleteForIdentityAsync(string id, HttpContext context, SessionStore store, SessionListStore list)
    {
        var identityId = SessionListRequest.ParseId(id);
        if (!await list.IdentityExistsAsync(identityId, context.RequestAborted)) throw NotFound();
        await store.DeleteForIdentityAsync(identityId, context.RequestAborted);
        return Results.NoContent();
    }

    private static IResult Render(SessionManager sessions, SessionPage page, bool devices) =>
        WardenJson.Json(new JsonArray(page.Items.Select(s => (JsonNode)sessions.ToJson(s, adminIdentity: true, devices: devices)).ToArray()));

    private static ApiException NotFound() => ApiException.NotFound("Unable to locate the resource");
}
