using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Courier.Templates;
using Warden.Persistence;

namespace Warden.Courier;

/// <summary>
/// CONTRACT (filled in by the courier work): queues a message for delivery. The message is rendered from its
/// template when queued and stored in <c>courier_messages</c>; a worker delivers it later with retries.
/// Pass <paramref name="c"/>/<paramref name="tx"/> to queue inside the caller's transaction (a message is
/// queued if and only if the flow change that caused it commits).
/// </summary>
public sealed class Outbox(CourierStore store, MessageTemplates templates, CourierSignal signal, CourierOptions options,
    ILoggerFactory logs, TimeProvider clock)
{
    private int _warned;

    /// <param name="templateType">Kratos template type: recovery_code_valid, recovery_code_invalid, recovery_valid,
    /// recovery_invalid, verification_code_valid, verification_code_invalid, verification_valid,
    /// verification_invalid, login_code_valid, registration_code_valid.</param>
    /// <param name="model">Template fields with Kratos' names: To, RecoveryCode, RecoveryURL, VerificationCode,
    /// VerificationURL, LoginCode, RegistrationCode, Identity (object), RequestURL, TransientPayload, ExpiresInMinutes.</param>
    public Task<Guid> EnqueueEmailAsync(string recipient, string templateType, JsonObject model,
        DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        var data = Prepare(recipient, templateType, model);
        var mail = templates.RenderEmail(templateType, data);
        WarnIfUndeliverable();
        return InsertAsync("email", recipient, templateType, mail.Subject, mail.Text, mail.Html, data, c, tx, ct);
    }

    /// <summary>Same for SMS (sent through <c>courier.channels</c> / <c>courier.sms</c> HTTP config).</summary>
    public Task<Guid> EnqueueSmsAsync(string recipient, string templateType, JsonObject model,
        DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        var data = Prepare(recipient, templateType, model);
        return InsertAsync("sms", recipient, templateType, "", templates.RenderSms(templateType, data), null, data, c, tx, ct);
    }

    /// <summary>Said once per process, when the first e-mail is queued that nothing can deliver yet.</summary>
    private void WarnIfUndeliverable()
    {
        if (options.Smtp is not null && !options.EmailOverHttp) return;
        if (Interlocked.Exchange(ref _warned, 1) == 1) return;
        logs.CreateLogger("Warden.Courier").LogWarning(options.EmailOverHttp
            ? "courier.delivery_strategy 'http' is not implemented by Warden: e-mails stay queued until courier.smtp is used"
            : "courier.smtp.connection_uri is not set: e-mails stay queued until an SMTP server is configured");
    }

    private JsonObject Prepare(string recipient, string templateType, JsonObject model)
    {
        if (string.IsNullOrWhiteSpace(recipient)) throw new ArgumentException("a message needs a recipient", nameof(recipient));
        if (!templates.IsKnown(templateType)) throw new ArgumentException($"unknown message template type '{templateType}'", nameof(templateType));
        // A copy: the caller's object stays theirs, and "To" is always there for the templates.
        var data = (JsonObject)model.DeepClone();
        data["To"] ??= recipient;
        return data;
    }

    private async Task<Guid> InsertAsync(string type, string recipient, string templateType, string subject, string body, string? html,
        JsonObject data, DbConnection? c, DbTransaction? tx, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new MessageRow
        {
            Id = RowIds.New(),
            Type = type,
            Channel = type,
            Status = MessageStatus.Queued,
            Recipient = recipient.Trim(),
            Subject = subject,
            Body = body,
            HtmlBody = html,
            TemplateType = templateType,
            TemplateData = data.ToJsonString(),
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.InsertAsync(row, c, tx, ct);
        // Inside a caller's transaction the worker can see the row only once it commits, so that is when it is
        // woken; an idle worker in serve does not poll every second (CourierWorker.RunAsync).
        if (tx is null) signal.Notify();
        else store.Database.AfterCommit(tx, signal.Notify);
        return row.Id;
    }
}
