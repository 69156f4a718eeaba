using Warden.Courier.Smtp;

namespace Warden.Courier.Delivery;

/// <summary>Delivers a stored e-mail over SMTP: the MIME message is built from the row as it was rendered when queued.</summary>
internal sealed class EmailSender(SmtpSettings settings, TimeProvider clock)
{
    public async Task SendAsync(MessageRow m, CancellationToken ct)
    {
        var domain = settings.FromAddress.Contains('@') ? settings.FromAddress[(settings.FromAddress.LastIndexOf('@') + 1)..] : "warden";
        var mime = MimeMessage.Build(settings.FromAddress, settings.FromName, m.Recipient, m.Subject, m.Body, m.HtmlBody ?? HtmlFromText(m.Body),
            settings.Headers, clock.GetUtcNow(), $"<{m.Id:N}.{m.SendCount}@{domain}>");
        try
        {
            await SmtpClient.SendAsync(settings, settings.FromAddress, m.Recipient, mime, ct);
        }
        catch (SmtpException e)
        {
            throw new DeliveryException("smtp: " + e.Message, inner: e);
        }
    }

    /// <summary>Rows queued without an HTML body (older rows) get the text wrapped in pre.</summary>
    private static string HtmlFromText(string text) => "<pre>" + Templates.TemplateEscaping.Html(text) + "</pre>";
}
