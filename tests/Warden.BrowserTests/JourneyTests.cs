using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Warden.BrowserTests.Support;
using Xunit;

namespace Warden.BrowserTests;

/// <summary>
/// A person's first visit in a real Chromium with JavaScript switched off: sign up, see the account, sign
/// out, sign in with a wrong and then the right password. Each page is screenshotted at desktop and phone
/// width and checked for accessibility.
/// </summary>
public sealed class JourneyTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Email = "ada@example.org";
    private const string Password = "correct-Horse-battery-9";

    [Fact]
    public async Task Register_welcome_logout_login_wrong_then_right_password()
    {
        await using var warden = await WardenUnderTest.StartAsync(TestConfig.Create());
        await using var context = await chromium.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        await Failure.RunAsync(page, nameof(Register_welcome_logout_login_wrong_then_right_password), async () =>
        {

        // "/" with no session → the sign-in page with a fresh flow.
        await page.GotoAsync(warden.Url("/"));
        Assert.Matches(new Regex(@"/ui/login\?flow=[0-9a-f-]{36}$"), page.Url);
        Assert.Equal("Sign in", await page.Locator("h1").InnerTextAsync());
        await A11y.CheckAsync(page);
        await Screenshots.TakeAsync(page, "01-login");

        // Sign up: first a password that is too short (field error), then a good one.
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        Assert.Contains("/ui/registration?flow=", page.Url);
        await A11y.CheckAsync(page);
        await Screenshots.TakeAsync(page, "02-registration");
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await page.GetByLabel("First name").FillAsync("Ada");
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        var passwordError = page.Locator("#password-msg .msg-error");
        Assert.Equal(1, await passwordError.CountAsync());
        Assert.Equal("password-msg", await page.GetByLabel("Password").GetAttributeAsync("aria-describedby"));
        Assert.Equal("", await page.GetByLabel("Password").InputValueAsync());
        Assert.Equal(Email, await page.GetByLabel("E-mail address").InputValueAsync());
        await A11y.CheckAsync(page);
        await Screenshots.TakeAsync(page, "03-registration-error");

        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

        // The welcome page shows who is signed in.
        Assert.EndsWith("/ui/welcome", page.Url);
        var main = page.Locator("main");
        Assert.Contains(Email, await main.InnerTextAsync());
        Assert.Contains("Ada", await main.InnerTextAsync());
        Assert.Contains("aal1", await page.Locator("#aal").InnerTextAsync());
        await A11y.CheckAsync(page);
        await Screenshots.TakeAsync(page, "04-welcome");

        // "/" with a session → welcome.
        await page.GotoAsync(warden.Url("/"));
        Assert.EndsWith("/ui/welcome", page.Url);

        // Sign out, then the account page is no longer reachable.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        Assert.Contains("/ui/login?flow=", page.Url);
        await page.GotoAsync(warden.Url("/ui/welcome"));
        Assert.Contains("/ui/login?flow=", page.Url);

        // Wrong password: the flow message is shown in the alert region, nothing is echoed back.
        await page.GetByLabel("ID").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with password" }).ClickAsync();
        Assert.Contains("/ui/login?flow=", page.Url);
        var alert = page.Locator("#flow-errors [data-message-id='4000006']");
        Assert.Equal(1, await alert.CountAsync());
        Assert.Equal("", await page.GetByLabel("Password").InputValueAsync());
        await A11y.CheckAsync(page);
        await Screenshots.TakeAsync(page, "05-login-error");

        // The right password: signed in again.
        await page.GetByLabel("ID").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with password" }).ClickAsync();
        Assert.EndsWith("/ui/welcome", page.Url);
        Assert.Contains(Email, await page.Locator("main").InnerTextAsync());
        });
    }

    /// <summary>
    /// Keyboard only, with JavaScript on: Tab reaches the skip link first and then every field in order, Enter
    /// submits; and the strict CSP holds (the browser reports no violation or other console error).
    /// </summary>
    [Fact]
    public async Task Keyboard_only_sign_up_without_csp_violations()
    {
        await using var warden = await WardenUnderTest.StartAsync(TestConfig.Create());
        await using var context = await chromium.NewContextAsync(javaScript: true);
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
        await Failure.RunAsync(page, nameof(Keyboard_only_sign_up_without_csp_violations), async () =>
        {
            await page.GotoAsync(warden.Url("/ui/registration"));
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
            var order = new List<string>();
            for (var i = 0; i < 12 && order.Count < 5; i++)
            {
                await page.Keyboard.PressAsync("Tab");
                var name = await page.EvaluateAsync<string?>("document.activeElement.getAttribute('name')");
                if (name is null || order.Contains(name)) continue;
                order.Add(name);
                switch (name)
                {
                    case "traits.email": await page.Keyboard.TypeAsync("mary@example.org"); break;
                    case "traits.name.first": await page.Keyboard.TypeAsync("Mary"); break;
                    case "password": await page.Keyboard.TypeAsync(Password); break;
                }
            }
            Assert.Equal(["traits.email", "password", "traits.name.first", "traits.name.last", "traits.newsletter"], order);
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync("**/ui/welcome");
            Assert.Contains("mary@example.org", await page.Locator("main").InnerTextAsync());
            Assert.Empty(consoleErrors);
        });
    }
}
