using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;

namespace Warden.Identities;

public sealed class IdentitiesFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
    }
}
