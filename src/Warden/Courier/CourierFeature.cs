using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Warden.Config;
using Warden.Courier.Templates;

namespace Warden.Courier;

/// <summary>The courier: the outbox flows queue into, its templates, the delivery worker, and the admin message API.</summary>
public sealed class CourierFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => CourierOptions.From(config));
        services.AddSingleton<MessageTemplates>();
        services.AddSingleton<CourierStore>();
        services.AddSingleton<CourierSignal>();
        services.TryAddSingleton<Outbox>();
        services.AddSingleton<CourierWorker>();
        services.AddSingleton<IHostedService, CourierHostedService>();
    }

    public void MapAdmin(IEndpointRouteBuilder routes) => Admin.CourierAdminApi.Map(routes);
}
