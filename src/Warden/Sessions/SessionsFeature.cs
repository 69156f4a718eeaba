using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;
using Microsoft.Extensions.Hosting;
using Warden.Http.Cors;
using Warden.Sessions.Cache;
using Warden.SelfService.Logout;

namespace Warden.Sessions;

/// <summary>Sessions, whoami, logout, and CORS for the public port (SPAs calling whoami/logout cross-origin).</summary>
public sealed class SessionsFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        // Resolve config now so a bad session/cookie/secret/CORS value stops startup naming its key.
        var options = SessionOptions.From(config);
        SessionKeys.ReadSecrets(config, "secrets.default");
        SessionKeys.ReadSecrets(config, "secrets.cookie");
        _ = CorsPolicy.From(config);

        services.AddSingleton(options);
        services.AddSingleton<SessionKeys>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionManager>();
        services.AddSingleton<SessionListStore>();
        var cache = SessionCacheOptions.From(config);
        services.AddSingleton(cache);
        services.AddSingleton(sp => new SessionCache(cache, sp.GetRequiredService<Warden.Persistence.Database>().Changes, new Observability.CacheCounters()));
        services.AddSingleton<WhoamiReader>();
        services.AddSingleton<IHostedService, SessionChangeFeed>();
        services.AddSingleton<LogoutReturnTo>();
        services.AddSingleton<IMiddlewareContributor, CorsMiddlewareContributor>();
    }

    public void MapPublic(IEndpointRouteBuilder routes)
    {
        WhoamiEndpoint.Map(routes);
        LogoutEndpoints.Map(routes);
        Api.MySessionsEndpoints.Map(routes);
    }

    public void MapAdmin(IEndpointRouteBuilder routes) => Api.AdminSessionsEndpoints.Map(routes);
}
