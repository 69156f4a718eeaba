using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Warden.SelfService.Recovery;

/// <summary>Public recovery routes; names are Kratos' operationIds.</summary>
internal static class RecoveryEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/self-service/recovery/browser", (HttpContext ctx, RecoveryFlows f) => f.CreateAsync(ctx, api: false))
            .WithName("createBrowserRecoveryFlow");
        routes.MapGet("/self-service/recovery/api", (HttpContext ctx, RecoveryFlows f) => f.CreateAsync(ctx, api: true))
            .WithName("createNativeRecoveryFlow");
        routes.MapGet("/self-service/recovery/flows", (HttpContext ctx, RecoveryFlows f) => f.GetAsync(ctx))
            .WithName("getRecoveryFlow");
        routes.MapPost("/self-service/recovery", (HttpContext ctx, RecoveryFlows f) => f.SubmitAsync(ctx))
            .WithName("updateRecoveryFlow");
        // Kratos compat: the mailed link (?flow=&token=) and admin links submit with GET.
        routes.MapGet("/self-service/recovery", (HttpContext ctx, RecoveryFlows f) => f.SubmitAsync(ctx))
            .WithName("updateRecoveryFlowGet");
    }
}
