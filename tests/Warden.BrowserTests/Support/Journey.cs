using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Warden.Tests.Support;
using Xunit;

namespace Warden.BrowserTests.Support;

/// <summary>Steps several journeys share, done the way a person does them: through the pages.</summary>
public static class Journey
{
    public static async Task RegisterAsync(IPage page, WardenUnderTest warden, string email, string password, string first = "Ada")
    {
        await page.GotoAsync(warden.Url("/ui/registration"));
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("First name").FillAsync(first);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        Assert.EndsWith("/ui/welcome", page.Url);
    }

    public static async Task LoginAsync(IPage page, string email, string password)
    {
        Assert.Contains("/ui/login?flow=", page.Url);
        await page.GetByLabel("ID").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with password" }).ClickAsync();
    }

    public static async Task LogoutAsync(IPage page, WardenUnderTest warden)
    {
        await page.GotoAsync(warden.Url("/ui/welcome"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        Assert.Contains("/ui/login?flow=", page.Url);
    }

    /// <summary>
    /// Runs <paramref name="send"/> and returns the six-digit code of the first message to <paramref name="to"/>
    /// that arrived at the SMTP server after it (earlier mail, e.g. from sign-up, is ignored).
    /// </summary>
    public static async Task<string> CodeMailedAfterAsync(SmtpServer smtp, string to, Func<Task> send)
    {
        var before = smtp.MessagesTo(to).Count;
        await send();
        var deadline = DateTime.UtcNow.AddSeconds(60); // bounds a hang; not a timing assertion
        while (smtp.MessagesTo(to).Count <= before)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no new mail to {to}");
            await Task.Delay(100);
        }
        var mail = smtp.MessagesTo(to)[before];
        var m = Regex.Match(mail.Text ?? mail.Html ?? "", @"(?<![0-9])[0-9]{6}(?![0-9])");
        Assert.True(m.Success, "no code in the mail: " + mail.Subject);
        return m.Value;
    }
}
