using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Warden.Config;
using Warden.Identities.Admin;

namespace Warden.SelfService.Recovery;

/// <summary>Account recovery (browser, SPA, native) and the admin endpoints that issue recovery links and codes. Needs <see cref="Verification.VerificationFeature"/>.</summary>
public sealed class RecoveryFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        services.TryAddSingleton<IRecoverySettingsFlows, BareRecoverySettingsFlows>();
        services.AddSingleton<RecoveryCompletion>();
        services.AddSingleton<RecoveryFlows>();
        services.AddSingleton<RecoveryAdmin>();
    }

    public void MapPublic(IEndpointRouteBuilder routes) => RecoveryEndpoints.Map(routes);

    public void MapAdmin(IEndpointRouteBuilder routes) => RecoveryAdminApi.Map(routes);
}
