using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Warden.SelfService.Login;

/// <summary>Public login routes; names are Kratos' operationIds.</summary>
internal static class LoginEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/self-service/login/browser", (HttpContext ctx, LoginFlows f) => f.CreateAsync(ctx, api: false))
            .WithName("createBrowserLoginFlow");
        routes.MapGet("/self-service/login/api", (HttpContext ctx, LoginFlows f) => f.CreateAsync(ctx, api: true))
            .WithName("createNativeLoginFlow");
        routes.MapGet("/self-service/login/flows", (HttpContext ctx, LoginFlows f) => f.GetAsync(ctx))
            .WithName("getLoginFlow");
        routes.MapPost("/self-service/login", (HttpContext ctx, LoginFlows f) => f.SubmitAsync(ctx))
            .WithName("updateLoginFlow");
        // Kratos compat: the submit URL also answers GET (query-string submissions, provider callbacks).
        routes.MapGet("/self-service/login", (HttpContext ctx, LoginFlows f) => f.SubmitAsync(ctx))
            .WithName("updateLoginFlowGet");
    }
}
