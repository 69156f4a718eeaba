using Microsoft.Playwright;
using Xunit;

namespace Warden.BrowserTests.Support;

/// <summary>
/// Playwright driving Debian's Chromium (<c>apt-get install chromium</c>): Playwright's own browser
/// download is never used. The flags keep Chromium from calling out to the network on its own.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (apt-get install -y chromium).");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A fresh browser profile (own cookies); JavaScript off by default, since the UI must work without it.</summary>
    public Task<IBrowserContext> NewContextAsync(bool javaScript = false, int width = 1280, int height = 900) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
        });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
    }
}
