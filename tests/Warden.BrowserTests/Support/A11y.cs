using Microsoft.Playwright;
using Xunit;

namespace Warden.BrowserTests.Support;

/// <summary>
/// Accessibility checks on the page the browser shows, through Playwright locators (they work with page
/// JavaScript off): every form control has a label bound to it, every field message is referenced by
/// its field's aria-describedby, every error sits in a live region, and there is exactly one h1.
/// </summary>
public static class A11y
{
    public static async Task CheckAsync(IPage page)
    {
        var where = page.Url;
        var controls = page.Locator("input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
        for (var i = 0; i < await controls.CountAsync(); i++)
        {
            var c = controls.Nth(i);
            var id = await c.GetAttributeAsync("id");
            var name = await c.GetAttributeAsync("name");
            var aria = await c.GetAttributeAsync("aria-label") ?? await c.GetAttributeAsync("aria-labelledby");
            var labels = id is null ? 0 : await page.Locator($"label[for=\"{id}\"]").CountAsync();
            Assert.True(labels == 1 || aria is { Length: > 0 }, $"unlabeled control '{name}' (id '{id}') on {where}");
            if (labels == 1)
                Assert.False(string.IsNullOrWhiteSpace(await page.Locator($"label[for=\"{id}\"]").InnerTextAsync()), $"empty label for '{name}' on {where}");
        }

        var buttons = page.Locator("button");
        for (var i = 0; i < await buttons.CountAsync(); i++)
            Assert.False(string.IsNullOrWhiteSpace(await buttons.Nth(i).InnerTextAsync()), $"button without text on {where}");

        // Field messages: linked to their control, and errors mark it invalid.
        var fieldMessages = page.Locator(".field .node-messages, .check .node-messages");
        for (var i = 0; i < await fieldMessages.CountAsync(); i++)
        {
            var box = fieldMessages.Nth(i);
            var id = await box.GetAttributeAsync("id");
            Assert.False(string.IsNullOrEmpty(id), $"a field message without id on {where}");
            var owners = page.Locator($"[aria-describedby~=\"{id}\"]");
            Assert.Equal(1, await owners.CountAsync());
            if (await box.Locator(".msg-error").CountAsync() > 0)
                Assert.Equal("true", await owners.First.GetAttributeAsync("aria-invalid"));
            Assert.NotNull(await box.GetAttributeAsync("aria-live"));
        }

        // Every error on the page is announced: inside a live region or an alert.
        var errors = page.Locator(".msg-error");
        for (var i = 0; i < await errors.CountAsync(); i++)
        {
            var e = errors.Nth(i);
            var announced = await e.Locator("xpath=ancestor-or-self::*[@aria-live or @role='alert']").CountAsync();
            Assert.True(announced > 0, $"error '{await e.InnerTextAsync()}' is not in a live region on {where}");
        }

        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.False(string.IsNullOrEmpty(await page.Locator("html").GetAttributeAsync("lang")));
    }
}
