using Microsoft.Playwright;
using Warden.BrowserTests.Support;
using Xunit;

namespace Warden.BrowserTests;

/// <summary>
/// The welcome page's session list: signed in on two "devices" (browser profiles), the first sees the
/// second and signs it out without JavaScript; the second is then signed out for real.
/// </summary>
public sealed class SessionsJourneyTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Email = "annie@example.org";
    private const string Password = "correct-Horse-battery-9";

    [Fact]
    public async Task Sign_out_another_session_from_the_welcome_page()
    {
        await using var warden = await WardenUnderTest.StartAsync(TestConfig.Create());
        await using var laptop = await chromium.NewContextAsync();
        await using var phone = await chromium.NewContextAsync();
        var page = await laptop.NewPageAsync();
        var other = await phone.NewPageAsync();
        await Failure.RunAsync(page, nameof(Sign_out_another_session_from_the_welcome_page), async () =>
        {
            await Journey.RegisterAsync(page, warden, Email, Password, "Annie");
            await other.GotoAsync(warden.Url("/ui/login"));
            await Journey.LoginAsync(other, Email, Password);
            Assert.EndsWith("/ui/welcome", other.Url);

            await page.ReloadAsync();
            var sessions = page.Locator("ul.sessions > li");
            Assert.Equal(1, await sessions.CountAsync());
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "06-welcome-sessions");

            await sessions.First.GetByRole(AriaRole.Button, new() { Name = "Sign out this session" }).ClickAsync();
            Assert.EndsWith("/ui/welcome?revoked=1", page.Url);
            Assert.Equal(1, await page.Locator("#flow-messages .msg-success").CountAsync());
            Assert.Equal(0, await page.Locator("ul.sessions > li").CountAsync());

            // The other device is signed out; this one is not.
            await other.GotoAsync(warden.Url("/ui/welcome"));
            Assert.Contains("/ui/login?flow=", other.Url);
            await page.GotoAsync(warden.Url("/ui/welcome"));
            Assert.EndsWith("/ui/welcome", page.Url);
        });
    }
}
