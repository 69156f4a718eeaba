using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Warden.BrowserTests.Support;
using Warden.Tests.Support;
using Xunit;

namespace Warden.BrowserTests;

/// <summary>
/// Journeys that go through the mailbox, in Chromium without JavaScript, against a Warden whose courier
/// delivers to a real SMTP server: verifying the address with a mailed code, and recovering the account
/// with a mailed code, then choosing a new password on the settings page recovery leads to.
/// </summary>
public sealed class MailJourneyTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Password = "correct-Horse-battery-9";
    private const string NewPassword = "another-Staple-river-42";

    private static JsonObject MailConfig(SmtpServer smtp) => TestConfig.Create(new JsonObject
    {
        ["courier"] = new JsonObject { ["smtp"] = new JsonObject { ["connection_uri"] = smtp.ConnectionUri, ["from_address"] = "no-reply@warden.test" } },
        ["selfservice"] = new JsonObject
        {
            ["flows"] = new JsonObject
            {
                ["verification"] = new JsonObject { ["enabled"] = true, ["use"] = "code" },
                ["recovery"] = new JsonObject { ["enabled"] = true, ["use"] = "code" },
            },
            ["methods"] = new JsonObject { ["code"] = new JsonObject { ["enabled"] = true } },
        },
    });

    [Fact]
    public async Task Verify_the_address_with_the_mailed_code()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var warden = await WardenUnderTest.StartAsync(MailConfig(smtp));
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        const string email = "grace@example.org";
        await Failure.RunAsync(page, nameof(Verify_the_address_with_the_mailed_code), async () =>
        {
            await Journey.RegisterAsync(page, warden, email, Password, "Grace");

            // The account page offers verification while the address is unverified.
            await page.GetByRole(AriaRole.Link, new() { Name = "Verify your email address" }).ClickAsync();
            Assert.Contains("/ui/verification?flow=", page.Url);
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "20-verification");
            var code = await Journey.CodeMailedAfterAsync(smtp, email, async () =>
            {
                await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
                await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            });
            Assert.Contains("/ui/verification?flow=", page.Url);
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "21-verification-code");

            // A wrong code first: the error is shown on the code field.
            await page.GetByLabel("Verification code").FillAsync(code == "000000" ? "111111" : "000000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            Assert.True(await page.Locator(".msg-error").CountAsync() > 0);
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "22-verification-wrong-code");

            await page.GetByLabel("Verification code").FillAsync(code);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            Assert.True(await page.Locator(".msg-success, .msg-info").CountAsync() > 0);
            Assert.Equal(0, await page.Locator(".msg-error").CountAsync());
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "23-verification-done");
            await page.GotoAsync(warden.Url("/ui/welcome"));
            Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Verify your email address" }).CountAsync());
        });
    }

    [Fact]
    public async Task Recover_with_the_mailed_code_and_set_a_new_password()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var warden = await WardenUnderTest.StartAsync(MailConfig(smtp));
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        const string email = "katherine@example.org";
        await Failure.RunAsync(page, nameof(Recover_with_the_mailed_code_and_set_a_new_password), async () =>
        {
            await Journey.RegisterAsync(page, warden, email, Password, "Katherine");
            await Journey.LogoutAsync(page, warden);

            await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
            Assert.Contains("/ui/recovery?flow=", page.Url);
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "30-recovery");
            var code = await Journey.CodeMailedAfterAsync(smtp, email, async () =>
            {
                await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
                await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            });
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "31-recovery-code");
            await page.GetByLabel("Recovery code").FillAsync(code);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

            // Recovered: signed in, on the settings page, asked to choose a new password.
            Assert.Contains("/ui/settings?flow=", page.Url);
            await A11y.CheckAsync(page);
            await Screenshots.TakeAsync(page, "32-recovery-settings");
            var passwordForm = page.Locator("form[data-group=password]");
            await passwordForm.GetByLabel("Password").FillAsync(NewPassword);
            await passwordForm.GetByRole(AriaRole.Button).ClickAsync();
            Assert.Contains("/ui/settings?flow=", page.Url);
            Assert.True(await page.Locator(".msg-success").CountAsync() > 0);

            // The new password works, the old one no longer does.
            await Journey.LogoutAsync(page, warden);
            await Journey.LoginAsync(page, email, Password);
            Assert.Contains("/ui/login?flow=", page.Url);
            await Journey.LoginAsync(page, email, NewPassword);
            Assert.EndsWith("/ui/welcome", page.Url);
        });
    }
}
