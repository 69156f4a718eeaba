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
        services.AddSingleton(sp => new PasswordHasher(options, sp.GetService<ILoggerFactory>()?.CreateLogger<PasswordHasher>()));
    }
}
