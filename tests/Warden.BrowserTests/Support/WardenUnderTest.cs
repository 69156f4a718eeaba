using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Persistence;

namespace Warden.BrowserTests.Support;

/// <summary>
/// A real Warden for the browser: Kestrel on 127.0.0.1 with ephemeral ports, a fresh SQLite file, --dev
/// (so cookies work over plain http), and no UI configuration at all, so every flow uses the built-in pages.
/// </summary>
public sealed class WardenUnderTest : IAsyncDisposable
{
    private readonly string _dir;

    private WardenUnderTest(WardenHost host, string dir)
    {
        Host = host;
        _dir = dir;
    }

    public WardenHost Host { get; }
    public Uri Public => Host.PublicAddress;
    public Uri Admin => Host.AdminAddress;

    public string Url(string path) => new Uri(Public, path.TrimStart('/')).ToString();

    public static async Task<WardenUnderTest> StartAsync(JsonObject? extra = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "warden-browser-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var root = extra?.DeepClone().AsObject() ?? new JsonObject();
        root["dsn"] = $"sqlite://{Path.Combine(dir, "warden.db")}?_fk=true";
        root["serve"] = new JsonObject
        {
            ["public"] = new JsonObject { ["port"] = 0 },
            ["admin"] = new JsonObject { ["port"] = 0 },
        };
        var host = WardenHost.Create(new WardenConfig(root, dev: true), b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        await new Migrator((Database)host.Services.GetService(typeof(Database))!).ApplyAsync();
        await host.StartAsync();
        return new WardenUnderTest(host, dir);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
