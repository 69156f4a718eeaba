using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Http;

namespace Warden;

/// <summary>
/// Runs Warden: one shared service container and two HTTP servers, public (4433) and admin (4434), like
/// Kratos. Each server has its own routes and 404s; both resolve feature services from the same container,
/// so pools, caches and the hashing limiter exist once.
/// </summary>
public sealed class WardenHost : IAsyncDisposable
{
    public const long MaxRequestBodyBytes = 5 * 1024 * 1024;

    private readonly ServiceProvider _core;
    private readonly WebApplication _public;
    private readonly WebApplication _admin;
    private readonly List<IHostedService> _hosted;

    private WardenHost(ServiceProvider core, WebApplication pub, WebApplication admin)
    {
        _core = core;
        _public = pub;
        _admin = admin;
        _hosted = core.GetServices<IHostedService>().ToList();
    }

    public IServiceProvider Services => _core;
    public BaseUrls Urls => _core.GetRequiredService<BaseUrls>();
    public WardenConfig Config => _core.GetRequiredService<WardenConfig>();

    public static WardenHost Create(WardenConfig config, Action<ILoggingBuilder>? logging = null)
    {
        // Every entry point (CLI, tests, embedding) gets the same checks: a bad value stops here, naming its key.
        ConfigValidator.Validate(config);
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (logging is not null) logging(b);
            else WardenLogging.Configure(b, config);
        });
        services.AddSingleton(config);
        var serve = config.Section<ServeEndpointConfig>("serve.public");
        var admin = config.Section<ServeEndpointConfig>("serve.admin");
        var urls = new BaseUrls();
        if (serve.BaseUrl is { Length: > 0 } pb) urls.Public = AsBase(pb, "serve.public.base_url");
        if (admin.BaseUrl is { Length: > 0 } ab) urls.Admin = AsBase(ab, "serve.admin.base_url");
        services.AddSingleton(urls);
        var first = services.Count;
        foreach (var feature in Features.All) feature.AddServices(services, config);
        var featureServices = services.Skip(first).ToList();
        var core = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });

        var pub = BuildApp(core, featureServices, config, serve, 4433, r => { foreach (var f in Features.All) f.MapPublic(r); }, isPublic: true);
        var adm = BuildApp(core, featureServices, config, admin, 4434, r => { foreach (var f in Features.All) f.MapAdmin(r); }, isPublic: false);
        return new WardenHost(core, pub, adm);
    }

    private static Uri AsBase(string url, string key)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
            throw new ConfigException(key, $"'{url}' is not an absolute http(s) URL");
        return u.AbsolutePath.EndsWith('/') ? u : new Uri(u + "/");
    }

    private static WebApplication BuildApp(ServiceProvider core, List<ServiceDescriptor> featureServices, WardenConfig config,
        ServeEndpointConfig serve, int defaultPort, Action<WebApplication> map, bool isPublic)
    {
        // Empty, not Slim: Warden reads its own config, so appsettings.json/ASPNETCORE_* sources, their file
        // watcher and host filtering were dead weight (measured: -1.7 MB idle RSS, 5 fewer assemblies, 2 fewer threads).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Warden" });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton(core.GetRequiredService<ILoggerFactory>());
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(core.GetRequiredService<BaseUrls>());
        foreach (var d in featureServices.Where(d => !d.ServiceType.IsGenericTypeDefinition && d.ServiceType != typeof(IHostedService)).DistinctBy(d => d.ServiceType))
            builder.Services.AddSingleton(d.ServiceType, _ => core.GetRequiredService(d.ServiceType));
        // IEnumerable<T> registrations (e.g. several hooks) forward as a whole.
        foreach (var group in featureServices.Where(d => !d.ServiceType.IsGenericTypeDefinition && d.ServiceType != typeof(IHostedService)).GroupBy(d => d.ServiceType).Where(g => g.Count() > 1))
        {
            var enumerable = typeof(IEnumerable<>).MakeGenericType(group.Key);
            builder.Services.AddSingleton(enumerable, _ => core.GetRequiredService(enumerable));
        }
        // The core set: the full one adds the regex route constraint (no route here uses it), whose setup loads and
        // compiles regex machinery at start.
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            // Kratos compat: Kratos (Go's server, 1 MiB for the request line and headers together) takes listIdentities
            // with its maximum of 500 ids, about 20 KB of query; Kestrel's default line limit of 8 KB answered that
            // with a bare 414. Longer lines still get Kestrel's 414, which Warden cannot give a body.
            k.Limits.MaxRequestLineSize = 64 * 1024;
            var host = string.IsNullOrEmpty(serve.Host) ? "127.0.0.1" : serve.Host;
            var port = serve.Port ?? defaultPort;
            if (host is "0.0.0.0" or "*" or "") k.ListenAnyIP(port);
            else if (host == "localhost") k.ListenLocalhost(port);
            else if (System.Net.IPAddress.TryParse(host, out var ip)) k.Listen(ip, port);
            else throw new ConfigException(isPublic ? "serve.public.host" : "serve.admin.host", $"'{host}' is not an IP address");
        });
        var app = builder.Build();
        app.UseMiddleware<ErrorMiddleware>();
        foreach (var m in core.GetServices<IMiddlewareContributor>().Where(m => m.Public == isPublic))
            m.Configure(app);
        app.UseRouting();
        map(app);
        return app;
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        await _public.StartAsync(ct);
        await _admin.StartAsync(ct);
        var urls = Urls;
        var serve = Config.Section<ServeEndpointConfig>("serve.public");
        var admin = Config.Section<ServeEndpointConfig>("serve.admin");
        if (string.IsNullOrEmpty(serve.BaseUrl)) urls.Public = new Uri(BoundAddress(_public) + "/");
        if (string.IsNullOrEmpty(admin.BaseUrl)) urls.Admin = new Uri(BoundAddress(_admin) + "/");
        PublicAddress = new Uri(BoundAddress(_public) + "/");
        AdminAddress = new Uri(BoundAddress(_admin) + "/");
        foreach (var h in _hosted) await h.StartAsync(ct);
    }

    /// <summary>The address the public server actually listens on (differs from base_url behind a proxy).</summary>
    public Uri PublicAddress { get; private set; } = new("http://127.0.0.1:4433/");
    public Uri AdminAddress { get; private set; } = new("http://127.0.0.1:4434/");

    private static string BoundAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1");

    public async Task StopAsync(CancellationToken ct = default)
    {
        foreach (var h in _hosted) await h.StopAsync(ct);
        await _public.StopAsync(ct);
        await _admin.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch (ObjectDisposedException) { }
        await _public.DisposeAsync();
        await _admin.DisposeAsync();
        await _core.DisposeAsync();
    }
}

/// <summary>
/// Lets a feature add middleware (CORS, CSRF, security headers) to one port's pipeline, ahead of routing,
/// without editing the host.
/// </summary>
public interface IMiddlewareContributor
{
    bool Public { get; }
    void Configure(IApplicationBuilder app);
}
