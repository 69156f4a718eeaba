using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Warden.Config;
using Warden.Methods.Code;
using Warden.SelfService.Hooks;

namespace Warden.SelfService.Verification;

/// <summary>
/// Address verification (browser, SPA, native) plus what recovery shares with it: the flow store, one-time
/// secrets, sending and redeeming, and the verification-related hooks.
/// </summary>
public sealed class VerificationFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        services.AddSingleton(AddressFlowOptions.From(config));
        services.AddSingleton<AddressFlowUrls>();
        services.AddSingleton<AddressFlowStore>();
        services.AddSingleton<AddressLookup>();
        services.AddSingleton<OneTimeSecrets>();
        services.AddSingleton<OneTimeCodeStore>();
        services.AddSingleton<AddressFlowHttp>();
        services.AddSingleton<AddressChallenges>();
        services.TryAddSingleton<Courier.Outbox>();
        services.AddSingleton<VerificationFlows>();
        services.AddSingleton<VerificationSender>();
        services.AddSingleton<VerificationHook>();
        services.AddSingleton<IFlowHook>(sp => sp.GetRequiredService<VerificationHook>());
        services.AddSingleton<IFlowHook, ShowVerificationUiHook>();
        services.AddSingleton<IFlowHook, RequireVerifiedAddressHook>();
    }

    public void MapPublic(IEndpointRouteBuilder routes) => VerificationEndpoints.Map(routes);
}
