using Microsoft.Playwright;
using Warden.BrowserTests.Support;
using Warden.Persistence;
using Xunit;

namespace Warden.BrowserTests;

/// <summary>
/// Account settings in Chromium without JavaScript: change a trait, then change the password on a session
/// that is no longer privileged, which sends the user through "confirm it's you" and back.
/// </summary>
public sealed class SettingsJourneyTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Email = "hedy@example.org";
    private const string Password = "correct-Horse-battery-9";
    private const string NewPassword = "another-Staple-river-42";

    [Fact]
    public async Task Change_a_trait_then_the_password_with_reauthentication()
    {
        await using var warden = await WardenUnderTest.StartAsync(TestConfig.Create());
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await Failure.RunAsync(page, nameof(Change_a_trait_then_the_password_with_reauthentication), async () =>
        {
            await Journey.RegisterAsync(page, warden, Email, Password, "Hedy");

            await page.GetByRole(AriaRole.Link, new() { Name = "Account settings" }).ClickAsync();
            Assert.Contains("/ui/settings?flow=", page.Url);
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "10-settings");

            // A trait: the profile form, on its own.
            var profile = page.Locator("form[data-group=profile]");
            await profile.GetByLabel("First name").FillAsync("Hedwig");
            await profile.GetByRole(AriaRole.Button).ClickAsync();
            Assert.Contains("/ui/settings?flow=", page.Url);
            Assert.True(await page.Locator("#flow-messages .msg-success").CountAsync() > 0);
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "11-settings-saved");
            await page.GotoAsync(warden.Url("/ui/welcome"));
            Assert.Contains("Hedwig", await page.Locator("main").InnerTextAsync());

            // The session was authenticated long ago (two hours, far past the 15-minute privilege window).
            var db = (Database)warden.Host.Services.GetService(typeof(Database))!;
            await using (var c = await db.OpenAsync())
                await c.ExecuteAsync("UPDATE sessions SET authenticated_at = @t", new { t = DateTime.UtcNow.AddHours(-2) });

            await page.GotoAsync(warden.Url("/ui/settings"));
            var password = page.Locator("form[data-group=password]");
            await password.GetByLabel("Password").FillAsync(NewPassword);
            await password.GetByRole(AriaRole.Button).ClickAsync();

            // Not privileged: confirm it's you first.
            Assert.Contains("/ui/login?flow=", page.Url);
            Assert.Equal("Confirm it's you", await page.Locator("h1").InnerTextAsync());
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "12-reauthenticate");
            await page.GetByLabel("Password").FillAsync(Password);
            await page.Locator("form[data-group=password]").GetByRole(AriaRole.Button).ClickAsync();

            // Back in settings, the parked password change went through.
            Assert.Contains("/ui/settings?flow=", page.Url);
            Assert.True(await page.Locator("#flow-messages .msg-success").CountAsync() > 0);
            await Screenshots.TakeAsync(page, "13-password-changed");

            await Journey.LogoutAsync(page, warden);
            await Journey.LoginAsync(page, Email, NewPassword);
            Assert.EndsWith("/ui/welcome", page.Url);
        });
    }
}
