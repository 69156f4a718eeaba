using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;

namespace Warden.Schemas;

public sealed class SchemasFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
    }
}
