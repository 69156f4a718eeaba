using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;

namespace Warden.Identities;

/// <summary>Identities: the store, the service every flow uses, the wire rendering, and the admin API.</summary>
public sealed class IdentitiesFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<IdentityService>();
        services.AddSingleton<IdentityJson>();
    }

    public void MapAdmin(IEndpointRouteBuilder routes) => Admin.IdentitiesAdminApi.Map(routes);
}
