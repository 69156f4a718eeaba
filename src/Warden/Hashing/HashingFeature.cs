using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;

namespace Warden.Hashing;

public sealed class HashingFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
    }
}
