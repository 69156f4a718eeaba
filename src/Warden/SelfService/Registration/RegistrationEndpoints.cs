using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Warden.SelfService.Registration;

/// <summary>Public registration routes; names are Kratos' operationIds.</summary>
internal static class RegistrationEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/self-service/registration/browser", (HttpContext ctx, RegistrationFlows f) => f.CreateAsync(ctx, api: false))
            .WithName("createBrowserRegistrationFlow");
        routes.MapGet("/self-service/registration/api", (HttpContext ctx, RegistrationFlows f) => f.CreateAsync(ctx, api: true))
            .WithName("createNativeRegistrationFlow");
        routes.MapGet("/self-service/registration/flows", (HttpContext ctx, RegistrationFlows f) => f.GetAsync(ctx))
            .WithName("getRegistrationFlow");
        routes.MapPost("/self-service/registration", (HttpContext ctx, RegistrationFlows f) => f.SubmitAsync(ctx))
            .WithName("updateRegistrationFlow");
        routes.MapGet("/self-service/registration", (HttpContext ctx, RegistrationFlows f) => f.SubmitAsync(ctx))
            .WithName("updateRegistrationFlowGet");
    }
}
