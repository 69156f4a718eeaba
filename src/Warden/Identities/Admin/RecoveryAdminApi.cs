using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Config;
using Warden.Http;
using Warden.Http.Flows;
using Warden.Methods;
using Warden.Methods.Code;
using Warden.SelfService.Verification;

namespace Warden.Identities.Admin;

/// <summary>
/// createRecoveryLinkForIdentity and createRecoveryCodeForIdentity: an operator recovers an account for a
/// user (support desk, invitations). Each call creates a recovery flow bound to the identity (no CSRF binding:
/// the user opens it in whatever browser receives the link) with a fresh secret stored as a keyed hash.
/// </summary>
internal static class RecoveryAdminApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/admin/recovery/link", (HttpContext ctx, RecoveryAdmin a) => a.CreateLinkAsync(ctx))
            .WithName("createRecoveryLinkForIdentity");
        routes.MapPost("/admin/recovery/code", (HttpContext ctx, RecoveryAdmin a) => a.CreateCodeAsync(ctx))
            .WithName("createRecoveryCodeForIdentity");
    }
}

/// <summary>The work behind <see cref="RecoveryAdminApi"/>.</summary>
public sealed class RecoveryAdmin(IdentityService identities, AddressFlowHttp http, AddressFlowStore store, AddressChallenges challenges,
    AddressFlowOptions options, AddressFlowUrls urls, AddressMethodRegistry methods, ReturnToValidator returnTo)
{
    public async Task CreateLinkAsync(HttpContext ctx)
    {
        var request = await ReadAsync(ctx, "link");
        var target = returnTo.Validate(ctx.Request.Query["return_to"]);
        var method = methods.All["link"];
        var (flow, token) = await CreateAsync(ctx, request, method, api: false, target);
        await FlowResponder.JsonAsync(ctx, new JsonObject
        {
            ["expires_at"] = flow.ExpiresAt,
            ["recovery_link"] = urls.SecretLink(AddressFlowKind.Recovery, flow.Id, "token", token),
        });
    }

    public async Task CreateCodeAsync(HttpContext ctx)
    {
        var request = await ReadAsync(ctx, "code");
        var api = RecoveryAdminRequest.FlowType(request.Body) == "api";
        var method = methods.All["code"];
        var (flow, code) = await CreateAsync(ctx, request, method, api, null);
        await FlowResponder.JsonAsync(ctx, new JsonObject
        {
            ["expires_at"] = flow.ExpiresAt,
            ["recovery_code"] = code,
            ["recovery_link"] = urls.Action(AddressFlowKind.Recovery, flow.Id),
        }, 201);
    }

    private async Task<RecoveryAdminRequest> ReadAsync(HttpContext ctx, string method)
    {
        if (!options.Recovery.Enabled)
            throw ApiException.BadRequest("Account recovery is disabled on this server; enable selfservice.flows.recovery first.");
        if (!options.MethodEnabled(method))
            throw ApiException.BadRequest($"The {method} method is disabled on this server; enable selfservice.methods.{method} first.");
        var body = await WardenJson.ReadObjectAsync(ctx.Request);
        var lifespan = method == "code" ? options.Code.Lifespan : options.Link.Lifespan;
        return RecoveryAdminRequest.Parse(body, lifespan);
    }

    private async Task<(AddressFlow Flow, string Secret)> CreateAsync(HttpContext ctx, RecoveryAdminRequest request, IAddressFlowMethod method,
        bool api, string? target)
    {
        var identity = await identities.GetAsync(request.IdentityId, includeCredentials: false, ctx.RequestAborted)
            ?? throw ApiException.NotFound("The identity does not exist.");
        if (identity.State != "active")
            throw ApiException.BadRequest("The identity is inactive, so it cannot be recovered. Activate it first.");
        var flow = http.New(null, AddressFlowKind.Recovery, api, target, urls.PublicUrl("self-service/recovery"), request.ExpiresIn);
        flow.SkipCsrf = !api;
        flow.IdentityId = identity.Id;
        flow.Active = method.Id;
        flow.State = AddressFlow.States.SentEmail;
        if (method.Id == "code") CodeAddressMethod.PopulateAdminCode(flow);
        else
        {
            flow.Ui.Nodes.Clear();
            flow.Ui.Nodes.Add(CodeAddressMethod.Csrf());
        }
        var secret = method.NewSecret();
        var hash = await challenges.HashAsync(flow, method, secret, ctx.RequestAborted);
        await store.Database.InTransactionAsync(async (c, tx) =>
        {
            await store.InsertAsync(flow, c, tx, ctx.RequestAborted);
            // The secret lives exactly as long as the flow: expires_in decides both.
            await challenges.StoreSecretAsync(flow, new FixedLifespan(method, request.ExpiresIn), hash, identity.Id, null, null, c, tx, ctx.RequestAborted);
        }, ctx.RequestAborted);
        return (flow, secret);
    }

    /// <summary>The method with its lifespan replaced by the admin's <c>expires_in</c>.</summary>
    private sealed class FixedLifespan(IAddressFlowMethod inner, TimeSpan lifespan) : IAddressFlowMethod
    {
        public string Id => inner.Id;
        public TimeSpan Lifespan => lifespan;
        public bool CountsSubmissions => inner.CountsSubmissions;
        public bool LooksValid(string secret) => inner.LooksValid(secret);
        public void PopulateChooseMethod(AddressFlow flow) => inner.PopulateChooseMethod(flow);
        public void PopulateSent(AddressFlow flow, string address) => inner.PopulateSent(flow, address);
        public string SecretKind(AddressFlowKind kind) => inner.SecretKind(kind);
        public string NewSecret() => inner.NewSecret();
        public string Template(AddressFlowKind kind, bool valid) => inner.Template(kind, valid);
    }
}
