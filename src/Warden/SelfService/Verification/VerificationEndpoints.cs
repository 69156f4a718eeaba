using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Warden.SelfService.Verification;

/// <summary>Public verification routes; names are Kratos' operationIds.</summary>
internal static class VerificationEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/self-service/verification/browser", (HttpContext ctx, VerificationFlows f) => f.CreateAsync(ctx, api: false))
            .WithName("createBrowserVerificationFlow");
        routes.MapGet("/self-service/verification/api", (HttpContext ctx, VerificationFlows f) => f.CreateAsync(ctx, api: true))
            .WithName("createNativeVerificationFlow");
        routes.MapGet("/self-service/verification/flows", (HttpContext ctx, VerificationFlows f) => f.GetAsync(ctx))
            .WithName("getVerificationFlow");
        routes.MapPost("/self-service/verification", (HttpContext ctx, VerificationFlows f) => f.SubmitAsync(ctx))
            .WithName("updateVerificationFlow");
        // Kratos compat: the mailed link (?flow=&code= or ?flow=&token=) submits with GET.
        routes.MapGet("/self-service/verification", (HttpContext ctx, VerificationFlows f) => f.SubmitAsync(ctx))
            .WithName("updateVerificationFlowGet");
    }
}
