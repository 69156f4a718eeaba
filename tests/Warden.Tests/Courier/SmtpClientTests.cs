using System.Text;
using Warden.Courier.Smtp;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Courier;

/// <summary>Warden's SMTP client and MIME builder against a real SMTP server (aiosmtpd), in every TLS mode.</summary>
public sealed class SmtpClientTests
{
    private static SmtpSettings Settings(SmtpServer server, Action<Dictionary<string, object?>>? tweak = null) =>
        SmtpSettings.From(new Warden.Config.WardenConfig(new System.Text.Json.Nodes.JsonObject
        {
            ["courier"] = new System.Text.Json.Nodes.JsonObject
            {
                ["smtp"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["connection_uri"] = server.ConnectionUri,
                    ["from_address"] = "noreply@warden.test",
                    ["from_name"] = "Wärden Team",
                    ["headers"] = new System.Text.Json.Nodes.JsonObject { ["X-SES-SOURCE-ARN"] = "arn:test" },
                    ["local_name"] = "warden.test",
                },
            },
        }))!;

    private static async Task SendAsync(SmtpSettings s, string to, string subject, string text, string html)
    {
        var mime = MimeMessage.Build(s.FromAddress, s.FromName, to, subject, text, html, s.Headers, DateTimeOffset.UtcNow, $"<{Guid.NewGuid():N}@warden.test>");
        await SmtpClient.SendAsync(s, s.FromAddress, to, mime, CancellationToken.None);
    }

    [Theory]
    [InlineData(SmtpTls.None)]
    [InlineData(SmtpTls.StartTls)]
    [InlineData(SmtpTls.Implicit)]
    public async Task Delivers_text_and_html_with_non_ascii_headers_and_bodies(SmtpTls tls)
    {
        await using var server = await SmtpServer.StartAsync(new SmtpServerOptions { Tls = tls, User = "mailer", Password = "p@ss:wörd/1" });
        var s = Settings(server);
        var longSubject = "Grüße aus Köln — ваш код восстановления " + new string('é', 80);
        var text = "Hallo Jürgen,\n.leading dot line\n..two dots\nYour code: 123456\n" + new string('x', 200) + "\nend = fine\n";
        await SendAsync(s, "jurgen@example.org", longSubject, text, "<p>Grüße <b>Jürgen</b></p>");

        var mail = await server.WaitForMessageAsync("jurgen@example.org");
        Assert.Equal(longSubject, mail.Subject);
        Assert.Equal(text.Replace("\n", "\r\n"), mail.Text);
        Assert.Equal("<p>Grüße <b>Jürgen</b></p>", mail.Html?.TrimEnd());
        Assert.Equal("noreply@warden.test", mail.MailFrom);
        Assert.Equal("Wärden Team <noreply@warden.test>", mail.From);
        Assert.Equal("arn:test", mail.Header("X-SES-SOURCE-ARN"));
        Assert.Equal("mailer", mail.AuthUser);
        Assert.Equal(tls != SmtpTls.None, mail.Tls);
        // Everything on the wire is 7-bit with CRLF line ends.
        Assert.True(mail.Raw.All(c => c < 128));
    }

    [Fact]
    public async Task Refuses_cleartext_when_starttls_is_required_but_not_offered()
    {
        await using var server = await SmtpServer.StartAsync();
        var s = Settings(server) with { RequireStartTls = true };
        var e = await Assert.ThrowsAsync<SmtpException>(() => SendAsync(s, "a@example.org", "s", "t", "h"));
        Assert.Contains("STARTTLS", e.Message);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task Refuses_a_self_signed_certificate_unless_told_to_skip_verification()
    {
        await using var server = await SmtpServer.StartAsync(new SmtpServerOptions { Tls = SmtpTls.Implicit });
        var s = Settings(server) with { SkipVerify = false };
        var e = await Assert.ThrowsAsync<SmtpException>(() => SendAsync(s, "a@example.org", "s", "t", "h"));
        Assert.Contains("TLS", e.Message);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task A_wrong_password_is_an_error_that_does_not_contain_it()
    {
        await using var server = await SmtpServer.StartAsync(new SmtpServerOptions { Tls = SmtpTls.StartTls, User = "mailer", Password = "right" });
        var s = Settings(server) with { Password = "wrong-secret" };
        var e = await Assert.ThrowsAsync<SmtpException>(() => SendAsync(s, "a@example.org", "s", "t", "h"));
        Assert.Contains("AUTH", e.Message);
        Assert.DoesNotContain("wrong-secret", e.Message);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("\0mailer\0wrong-secret")), e.Message);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task A_server_that_is_down_is_a_connection_error()
    {
        var server = await SmtpServer.StartAsync();
        var s = Settings(server);
        await server.DisposeAsync();
        var e = await Assert.ThrowsAsync<SmtpException>(() => SendAsync(s, "a@example.org", "s", "t", "h"));
        Assert.Contains("cannot connect", e.Message);
    }

    [Fact]
    public void Connection_uri_options_are_read()
    {
        var s = SmtpSettings.From(new Warden.Config.WardenConfig(System.Text.Json.Nodes.JsonNode.Parse(
            """{"courier":{"smtp":{"connection_uri":"smtps://us%40er:p%2Fw%3Ad@mail.example.org/?skip_ssl_verify=true&server_name=example.org"}}}""")!.AsObject()))!;
        Assert.Equal(("mail.example.org", 465, true, false, true, "example.org"), (s.Host, s.Port, s.ImplicitTls, s.RequireStartTls, s.SkipVerify, s.ServerName));
        Assert.Equal(("us@er", "p/w:d"), (s.User, s.Password));
        var plain = SmtpSettings.From(new Warden.Config.WardenConfig(System.Text.Json.Nodes.JsonNode.Parse(
            """{"courier":{"smtp":{"connection_uri":"smtp://mail.example.org:2525/?disable_starttls=true"}}}""")!.AsObject()))!;
        Assert.Equal((2525, false, false), (plain.Port, plain.RequireStartTls, plain.ImplicitTls));
        var e = Assert.Throws<Warden.Config.ConfigException>(() => SmtpSettings.From(new Warden.Config.WardenConfig(System.Text.Json.Nodes.JsonNode.Parse(
            """{"courier":{"smtp":{"connection_uri":"http://u:secret@x/"}}}""")!.AsObject())));
        Assert.DoesNotContain("secret", e.Message);
    }

    [Fact]
    public void Dot_stuffing_doubles_leading_dots_and_terminates_the_data()
    {
        var stuffed = Encoding.ASCII.GetString(SmtpClient.DotStuff(Encoding.ASCII.GetBytes(".a\r\nb\r\n..c")));
        Assert.Equal("..a\r\nb\r\n...c\r\n.\r\n", stuffed);
    }
}
