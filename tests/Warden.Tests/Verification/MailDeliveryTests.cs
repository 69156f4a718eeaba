using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;
using static Warden.Tests.Verification.AddressHarness;

namespace Warden.Tests.Verification;

/// <summary>
/// End to end through a real SMTP server: the courier delivers the mail, the test reads the code or link from
/// what arrived (not from the queue) and completes verification and recovery as a user would.
/// </summary>
public sealed class MailDeliveryTests
{
    private static Action<JsonObject> Smtp(SmtpServer smtp) => root =>
        root["courier"] = new JsonObject
        {
            ["smtp"] = new JsonObject { ["connection_uri"] = smtp.ConnectionUri, ["from_address"] = "accounts@warden.test" },
            ["worker"] = new JsonObject { ["pull_wait"] = "100ms" },
        };

    private static QueuedMail Read(ReceivedMail m) => new(m.To, "", m.Subject, m.Text ?? m.Html ?? "", null);

    /// <summary>
    /// Registers <paramref name="email"/> and takes the verification mail every registration sends, so the next
    /// <see cref="SmtpServer.WaitForMessageAsync"/> returns the mail of the flow under test.
    /// </summary>
    private static async Task<string> RegisterAsync(TestServer s, SmtpServer smtp, string email)
    {
        var id = await AddressHarness.RegisterAsync(s, email);
        Assert.True(Read(await smtp.WaitForMessageAsync(email, TimeSpan.FromSeconds(60))).HasSecret());
        return id;
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Verification_code_arrives_by_smtp_and_verifies(string dialect)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var s = await StartServerAsync(dialect, tweak: Smtp(smtp));
        var email = Email();
        var id = await RegisterAsync(s, smtp, email);
        var flow = await NativeFlow(s, "verification");
        await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["email"] = email })), HttpStatusCode.OK);
        var mail = await smtp.WaitForMessageAsync(email, TimeSpan.FromSeconds(60));
        var done = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["code"] = Read(mail).Code(),
        })), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", done["state"]!.GetValue<string>());
        Assert.True(Address(await IdentityAsync(s, id))["verified"]!.GetValue<bool>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Recovery_link_arrives_by_smtp_and_signs_the_browser_in(string dialect)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var s = await StartServerAsync(dialect, use: "link", tweak: Smtp(smtp));
        var email = Email();
        await RegisterAsync(s, smtp, email);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "recovery");
        var post = await browser.SendAsync(PostForm(Action(flow), ("method", "link"), ("email", email), ("csrf_token", Csrf(flow))));
        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        var link = Read(await smtp.WaitForMessageAsync(email, TimeSpan.FromSeconds(60))).Link();
        var open = await browser.SendAsync(Get(link, json: false));
        Assert.Equal(HttpStatusCode.SeeOther, open.StatusCode);
        Assert.StartsWith(UiBase + "/settings?flow=", open.Headers.Location!.ToString());
        await ExpectJson(await browser.SendAsync(Get("/sessions/whoami", json: true)), HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Recovery_code_arrives_by_smtp_for_an_spa(string dialect)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var s = await StartServerAsync(dialect, tweak: Smtp(smtp));
        var email = Email();
        await RegisterAsync(s, smtp, email);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "recovery");
        await ExpectJson(await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["method"] = "code", ["email"] = email, ["csrf_token"] = Csrf(flow),
        })), HttpStatusCode.OK);
        var code = Read(await smtp.WaitForMessageAsync(email, TimeSpan.FromSeconds(60))).Code();
        var r = await browser.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "code", ["code"] = code, ["csrf_token"] = Csrf(flow) }));
        var body = await ExpectJson(r, (HttpStatusCode)422);
        Assert.Equal("browser_location_change_required", body["error"]!["id"]!.GetValue<string>());
        await ExpectJson(await browser.SendAsync(Get("/sessions/whoami", json: true)), HttpStatusCode.OK);
    }
}
