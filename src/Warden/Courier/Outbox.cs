using System.Data.Common;
using System.Text.Json.Nodes;

namespace Warden.Courier;

/// <summary>
/// CONTRACT (filled in by the courier work): queues a message for delivery. The message is rendered from its
/// template when queued and stored in <c>courier_messages</c>; a worker delivers it later with retries.
/// Pass <paramref name="c"/>/<paramref name="tx"/> to queue inside the caller's transaction (a message is
/// queued if and only if the flow change that caused it commits).
/// </summary>
public sealed class Outbox
{
    /// <param name="templateType">Kratos template type: recovery_code_valid, recovery_code_invalid, recovery_valid,
    /// recovery_invalid, verification_code_valid, verification_code_invalid, verification_valid,
    /// verification_invalid, login_code_valid, registration_code_valid.</param>
    /// <param name="model">Template fields with Kratos' names: To, RecoveryCode, RecoveryURL, VerificationCode,
    /// VerificationURL, LoginCode, RegistrationCode, Identity (object), RequestURL, TransientPayload, ExpiresInMinutes.</param>
    public Task<Guid> EnqueueEmailAsync(string recipient, string templateType, JsonObject model,
        DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Same for SMS (sent through <c>courier.channels</c> / <c>courier.sms</c> HTTP config).</summary>
    public Task<Guid> EnqueueSmsAsync(string recipient, string templateType, JsonObject model,
        DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default) => throw new NotImplementedException();
}
