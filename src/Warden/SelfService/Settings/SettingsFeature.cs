using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;
using Warden.SelfService.Continuity;
using Warden.SelfService.Hooks;

namespace Warden.SelfService.Settings;

/// <summary>
/// The settings flow (profile and password methods, privileged changes with re-authentication) and the
/// <c>revoke_active_sessions</c> hook. Methods are registered in <see cref="Methods.MethodsCatalog"/>.
/// </summary>
public sealed class SettingsFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        services.AddSingleton(config.Section<SettingsFlowConfig>("selfservice.flows.settings"));
        services.AddSingleton<SettingsUrls>();
        services.AddSingleton<SettingsFlowStore>();
        services.AddSingleton<ContinuityStore>();
        services.AddSingleton<SettingsHooks>();
        services.AddSingleton<SettingsFlows>();
        services.AddSingleton<SettingsSubmit>();
        services.AddSingleton<SettingsVerification>();
        services.AddSingleton<IFlowHook, RevokeActiveSessionsHook>();
        // Registered before the recovery feature's fallback, so recovery lands in a full settings form.
        services.AddSingleton<Recovery.IRecoverySettingsFlows, SettingsRecoveryFlows>();
    }

    public void MapPublic(IEndpointRouteBuilder routes) => SettingsEndpoints.Map(routes);
}
