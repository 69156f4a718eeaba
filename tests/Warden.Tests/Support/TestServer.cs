using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Persistence;

namespace Warden.Tests.Support;

/// <summary>
/// A real Warden (real Kestrel on 127.0.0.1, ephemeral ports) over a fresh database. Configure it with a
/// Kratos-format config tree; <c>dsn</c> and ports are filled in.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(WardenHost host)
    {
        Host = host;
        Public = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.PublicAddress };
        Admin = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.AdminAddress };
    }

    public WardenHost Host { get; }

    /// <summary>Client for the public API: no redirects followed, no cookie jar (tests handle cookies explicitly).</summary>
    public HttpClient Public { get; }
    public HttpClient Admin { get; }

    public T Service<T>() where T : notnull =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(Host.Services);

    /// <summary>A client with a cookie jar, for browser-flow tests.</summary>
    public HttpClient BrowserClient(bool followRedirects = false, CookieContainer? jar = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true, CookieContainer = jar ?? new CookieContainer() })
        { BaseAddress = Host.PublicAddress };

    public static async Task<TestServer> StartAsync(string dialect = "sqlite", JsonObject? config = null, bool dev = true,
        Action<ILoggingBuilder>? logging = null)
    {
        var root = config?.DeepClone().AsObject() ?? new JsonObject();
        root["dsn"] ??= TestDb.NewDsn(dialect);
        // Cheap hashing unless a test asks otherwise: cost 12 costs ~250 ms of CPU per hash on two shared cores.
        if (dev && root["hashers"] is null)
            root["hashers"] = new JsonObject { ["algorithm"] = "bcrypt", ["bcrypt"] = new JsonObject { ["cost"] = 4 } };
        var serve = root["serve"] as JsonObject ?? new JsonObject();
        root["serve"] = serve;
        foreach (var side in new[] { "public", "admin" })
        {
            var s = serve[side] as JsonObject ?? new JsonObject();
            serve[side] = s;
            s["port"] ??= 0;
        }
        var cfg = new WardenConfig(root, dev);
        var host = WardenHost.Create(cfg, logging ?? (b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole()));
        await new Migrator((Database)host.Services.GetService(typeof(Database))!).ApplyAsync();
        await host.StartAsync();
        return new TestServer(host);
    }

    public async ValueTask DisposeAsync()
    {
        Public.Dispose();
        Admin.Dispose();
        await Host.DisposeAsync();
    }
}
