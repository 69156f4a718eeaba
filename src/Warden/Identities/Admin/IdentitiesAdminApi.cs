using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Config;
using Warden.Http;

namespace Warden.Identities.Admin;

/// <summary>
/// The admin identities API (Kratos paths and operationIds). Handlers stay thin: parse, call
/// <see cref="IdentityService"/>, render with <see cref="IdentityJson"/>. Listing and the batch endpoint
/// live in their own files.
/// </summary>
internal static class IdentitiesAdminApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var g = routes.MapGroup("/admin/identities");
        g.AddEndpointFilter(AdminRequest.MapErrors);
        g.MapGet("", ListIdentities.HandleAsync).WithName("listIdentities");
        g.MapPost("", CreateAsync).WithName("createIdentity");
        g.MapPatch("", BatchPatchIdentities.HandleAsync).WithName("batchPatchIdentities");
        g.MapGet("/by/external/{externalID}", GetByExternalIdAsync).WithName("getIdentityByExternalID");
        g.MapGet("/{id}", GetAsync).WithName("getIdentity");
        g.MapPut("/{id}", UpdateAsync).WithName("updateIdentity");
        g.MapPatch("/{id}", PatchAsync).WithName("patchIdentity");
        g.MapDelete("/{id}", DeleteAsync).WithName("deleteIdentity");
        g.MapDelete("/{id}/credentials/{type}", DeleteCredentialsAsync).WithName("deleteIdentityCredentials");

        // Kratos compat: the admin port still answers the pre-/admin paths by redirecting there, method and
        // body preserved (307), as Kratos does.
        routes.Map("/identities", LegacyRedirect);
        routes.Map("/identities/{**rest}", LegacyRedirect);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IdentityService service, IdentityJson json, BaseUrls urls)
    {
        var body = await WardenJson.ReadObjectAsync(request);
        var identity = await service.CreateAsync(IdentityRequest.ReadCreate(body), request.HttpContext.RequestAborted);
        request.HttpContext.Response.Headers.Location = urls.AdminUrl($"admin/identities/{identity.Id}");
        // Credentials are shown by getIdentity only (compat suite: "not returned unless asked for").
        return WardenJson.Json(json.ToJson(identity, admin: true), 201);
    }

    private static async Task<IResult> GetAsync(string id, HttpRequest request, IdentityService service, IdentityJson json)
    {
        var identityId = AdminRequest.ParseId(id);
        var include = AdminRequest.IncludeCredential(request);
        var identity = await service.GetAsync(identityId, includeCredentials: true, request.HttpContext.RequestAborted) ?? throw NotFound();
        return WardenJson.Json(json.ToJson(identity, admin: true, includeCredentials: true, include));
    }

    private static async Task<IResult> GetByExternalIdAsync(string externalID, HttpRequest request, IdentityService service, IdentityJson json)
    {
        var include = AdminRequest.IncludeCredential(request);
        var identity = await service.GetByExternalIdAsync(externalID, includeCredentials: true, request.HttpContext.RequestAborted) ?? throw NotFound();
        return WardenJson.Json(json.ToJson(identity, admin: true, includeCredentials: true, include));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IdentityService service, IdentityJson json)
    {
        var identityId = AdminRequest.ParseId(id);
        var body = await WardenJson.ReadObjectAsync(request);
        var ct = request.HttpContext.RequestAborted;
        var stored = await service.GetAsync(identityId, includeCredentials: true, ct) ?? throw NotFound();
        var updated = await service.UpdateAsync(IdentityRequest.ReadUpdate(body, stored), ct);
        return WardenJson.Json(json.ToJson(updated, admin: true));
    }

    private static async Task<IResult> PatchAsync(string id, HttpRequest request, IdentityService service, IdentityJson json)
    {
        var identityId = AdminRequest.ParseId(id);
        var patch = await AdminRequest.ReadNodeAsync(request);
        var ct = request.HttpContext.RequestAborted;
        var stored = await service.GetAsync(identityId, includeCredentials: true, ct) ?? throw NotFound();
        var patched = JsonPatch.Apply(PatchDocument.From(stored, json), patch, PatchDocument.IsWritable);
        var updated = await service.UpdateAsync(PatchDocument.Read(patched, stored), ct);
        return WardenJson.Json(json.ToJson(updated, admin: true));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpRequest request, IdentityService service)
    {
        var identityId = AdminRequest.ParseId(id);
        if (!await service.DeleteAsync(identityId, request.HttpContext.RequestAborted)) throw NotFound();
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteCredentialsAsync(string id, string type, HttpRequest request, IdentityService service)
    {
        var identityId = AdminRequest.ParseId(id);
        if (!AdminRequest.CredentialTypes.Contains(type))
            throw ApiException.BadRequest($"\"{AdminRequest.Clip(type)}\" is not a credential type.");
        // Kratos compat: passkeys and code credentials are managed by their own flows, not deleted here.
        if (type is "passkey" or "code")
            throw ApiException.BadRequest($"Credentials of type {type} cannot be deleted through this endpoint.");
        string? identifier = request.Query["identifier"];
        if (IdentityDerivation.ProviderTypes.Contains(type) && string.IsNullOrEmpty(identifier))
            throw ApiException.BadRequest($"Deleting {type} credentials needs the identifier (provider:subject) of the link to remove.");
        if (!await service.DeleteCredentialAsync(identityId, type, identifier, request.HttpContext.RequestAborted)) throw NotFound();
        return Results.NoContent();
    }

    private static IResult LegacyRedirect(HttpContext context, BaseUrls urls)
    {
        var target = urls.AdminUrl("admin" + context.Request.Path.Value) + context.Request.QueryString.Value;
        return Results.Redirect(target, permanent: false, preserveMethod: true);
    }

    private static ApiException NotFound() => ApiException.NotFound("Unable to locate the resource");
}
