using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden.Config;

namespace Warden.Hashing;

/// <summary>Password hashing: one <see cref="PasswordHasher"/> (and so one concurrency limiter) per process.</summary>
public sealed class HashingFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        // Validated here, not on first use, so a bad hashers.* value or a missing libargon2 stops startup.
        var options = HashingOptions.From(config);
        PasswordHasher.EnsureUsable(options);
        var batching = options.Batches(config.Dsn) ? HashBatching.On(new RequestGauge()) : HashBatching.Off;
        if (batching.Gauge is { } gauge)
        {
            // The gauge counts the requests of both listeners; the hash threads wait on it (HashBatching).
            services.AddSingleton<IMiddlewareContributor>(new RequestGauge.Middleware(gauge, isPublic: true));
            services.AddSingleton<IMiddlewareContributor>(new RequestGauge.Middleware(gauge, isPublic: false));
        }
        services.AddSingleton(sp => new PasswordHasher(options, sp.GetService<ILoggerFactory>()?.CreateLogger<PasswordHasher>(), batching));
    }
}
