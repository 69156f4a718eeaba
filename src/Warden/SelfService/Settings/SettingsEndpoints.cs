using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Http.Flows;

namespace Warden.SelfService.Settings;

/// <summary>Public settings routes; names are Kratos' operationIds.</summary>
internal static class SettingsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/self-service/settings/browser", (HttpContext ctx, SettingsFlows f) => f.CreateAsync(ctx, api: false))
            .WithName("createBrowserSettingsFlow");
        routes.MapGet("/self-service/settings/api", (HttpContext ctx, SettingsFlows f) => f.CreateAsync(ctx, api: true))
            .WithName("createNativeSettingsFlow");
        routes.MapGet("/self-service/settings/flows", (HttpContext ctx, SettingsFlows f) => f.GetAsync(ctx))
            .WithName("getSettingsFlow");
        routes.MapPost("/self-service/settings", (HttpContext ctx, SettingsSubmit f) => f.SubmitAsync(ctx))
            .WithName("updateSettingsFlow");
        // Kratos compat: the submit URL also answers GET; it is where re-authentication returns to.
        routes.MapGet("/self-service/settings", (HttpContext ctx, SettingsSubmit f) => f.SubmitAsync(ctx))
            .WithName("updateSettingsFlowGet");
        // W3C "change password URL": password managers send users here.
        routes.MapGet("/.well-known/change-password", (HttpContext ctx, SettingsUrls urls) => FlowResponder.RedirectAsync(ctx, urls.UiUrl))
            .WithName("getWellKnownChangePassword");
    }
}
