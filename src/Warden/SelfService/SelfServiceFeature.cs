using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;
using Warden.Http.Csrf;
using Warden.Http.Flows;
using Warden.SelfService.Errors;
using Warden.SelfService.Flows;
using Warden.SelfService.Hooks;

namespace Warden.SelfService;

/// <summary>Self-service login and registration (browser, SPA, native), their methods, hooks and errors.</summary>
public sealed class SelfServiceFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        var selfService = config.Section<SelfServiceConfig>("selfservice");
        services.AddSingleton(selfService);
        services.AddSingleton<SelfServiceUrls>();
        services.AddSingleton<CsrfTokens>();
        services.AddSingleton(sp => new ReturnToValidator(selfService.AllowedReturnUrls, sp.GetRequiredService<BaseUrls>(),
            () => sp.GetRequiredService<SelfServiceUrls>().DefaultReturnUrl));
        services.AddSingleton<ErrorStore>();
        services.AddSingleton<FlowStore>();
        services.AddSingleton<FlowResponder>();
        services.AddSingleton<FlowGate>();
        services.AddSingleton<FlowFactory>();
        services.AddSingleton<HookRunner>();
        services.AddSingleton<IFlowHook, SessionHook>();
        Methods.MethodsCatalog.Add(services);
        services.AddSingleton<Login.LoginFlows>();
        services.AddSingleton<Registration.RegistrationFlows>();
    }

    public void MapPublic(IEndpointRouteBuilder routes)
    {
        Login.LoginEndpoints.Map(routes);
        Registration.RegistrationEndpoints.Map(routes);
        ErrorEndpoints.Map(routes);
    }
}
