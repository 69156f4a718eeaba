using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Warden.BrowserTests.Support;

/// <summary>
/// Saves each page at desktop and phone width. Folder: <c>$WARDEN_SCREENSHOTS</c>, else
/// <c>.test-work/screenshots</c> in the repository (the folder docs/screenshots/README.md points at).
/// </summary>
public static class Screenshots
{
    public static string Folder { get; } = Resolve();

    private static string Resolve([CallerFilePath] string source = "")
    {
        var env = Environment.GetEnvironmentVariable("WARDEN_SCREENSHOTS");
        // This file is tests/Warden.BrowserTests/Support/Screenshots.cs: the repository is three levels up.
        var repo = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));
        var dir = env is { Length: > 0 } ? env : Path.Combine(repo, ".test-work", "screenshots");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Full-page shots of the current page at 1280 px and 360 px; the viewport is restored afterwards.</summary>
    public static async Task TakeAsync(IPage page, string name)
    {
        var original = page.ViewportSize;
        foreach (var (suffix, width, height) in new[] { ("desktop", 1280, 900), ("phone", 360, 740) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"{name}-{suffix}.png"), FullPage = true });
        }
        if (original is not null) await page.SetViewportSizeAsync(original.Width, original.Height);
    }
}

/// <summary>Keeps the evidence when a journey fails: a screenshot and the HTML of the page it stopped on.</summary>
public static class Failure
{
    public static async Task RunAsync(IPage page, string name, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Folder, $"FAILED-{name}.png"), FullPage = true });
                await File.WriteAllTextAsync(Path.Combine(Screenshots.Folder, $"FAILED-{name}.html"), page.Url + "\n" + await page.ContentAsync());
            }
            catch (PlaywrightException) { }
            throw;
        }
    }
}
