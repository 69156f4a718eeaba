using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;

namespace Warden.Observability;

/// <summary>Metrics for operators: <c>/metrics/prometheus</c> on the admin port.</summary>
public sealed class ObservabilityFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config) { }

    public void MapAdmin(IEndpointRouteBuilder routes) => PrometheusEndpoint.Map(routes);
}
