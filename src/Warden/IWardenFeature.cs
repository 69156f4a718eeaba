using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;

namespace Warden;

/// <summary>
/// A feature folder's single entry point: its services and its routes on the public and admin ports.
/// Adding a feature is one class here plus one line in <see cref="Features.All"/>.
/// Services must be singletons: both ports resolve them from one shared container.
/// </summary>
public interface IWardenFeature
{
    void AddServices(IServiceCollection services, WardenConfig config);

    void MapPublic(IEndpointRouteBuilder routes) { }

    void MapAdmin(IEndpointRouteBuilder routes) { }
}
