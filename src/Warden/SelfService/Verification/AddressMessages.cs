using System.Text.Json.Nodes;
using Warden.Ui;

namespace Warden.SelfService.Verification;

/// <summary>
/// UI messages of the verification and recovery flows. Ids, types and context keys are Kratos'
/// (clients branch on them); the texts are Warden's own.
/// </summary>
public static class AddressMessages
{
    private static UiText Info(int id, string text, JsonObject? ctx = null) => new(id, text, "info", ctx);
    private static UiText Error(int id, string text, JsonObject? ctx = null) => new(id, text, "error", ctx);
    private static UiText Success(int id, string text, JsonObject? ctx = null) => new(id, text, "success", ctx);

    // Labels.
    public static UiText LabelEmail() => Info(1070007, "Email");
    public static UiText LabelResendCode() => Info(1070008, "Send a new code");
    public static UiText LabelContinue() => Info(1070009, "Continue");
    public static UiText LabelRecoveryCode() => Info(1070010, "Recovery code");
    public static UiText LabelVerificationCode() => Info(1070011, "Verification code");
    public static UiText LabelEmailOrPhone() => Info(1070018, "Email or phone number");

    // Recovery.
    public static UiText RecoverySuccessful(DateTime privilegedUntil) => Success(1060001,
        $"Your account is recovered. Change your password or add another way to sign in before {privilegedUntil:yyyy-MM-dd HH:mm} UTC.",
        new JsonObject
        {
            ["privilegedSessionExpiresAt"] = privilegedUntil.ToString("O"),
            ["privileged_session_expires_at"] = privilegedUntil.ToString("O"),
            ["privileged_session_expires_at_unix"] = Unix(privilegedUntil),
        });
    public static UiText RecoveryLinkSent() => Info(1060002,
        "If this address belongs to an account, a recovery link is on its way. Nothing arriving? Check the spelling and use the address you signed up with.");
    public static UiText RecoveryCodeSent() => Info(1060003,
        "If this address belongs to an account, a recovery code is on its way. Nothing arriving? Check the spelling and use the address you signed up with.");
    public static UiText RecoveryTokenInvalid() => Error(4060004, "This recovery link is not valid or was already used. Request a new one.");
    public static UiText RecoveryFlowExpired(DateTime expiredAt) => Expired(4060005, "recovery", expiredAt);
    public static UiText RecoveryCodeInvalid() => Error(4060006, "This recovery code is not valid or was already used. Try again.");
    public static UiText RecoveryTooManyAttempts() => Error(4060006,
        "Too many wrong recovery codes were entered. Start the account recovery again to get a new code.");

    // Verification.
    public static UiText VerificationLinkSent() => Info(1080001,
        "If this address belongs to an account, a verification link is on its way. Nothing arriving? Check the spelling and use the address you signed up with.");
    public static UiText VerificationSuccessful() => Success(1080002, "Your address is verified.");
    public static UiText VerificationCodeSent() => Info(1080003,
        "If this address belongs to an account, a verification code is on its way. Nothing arriving? Check the spelling and use the address you signed up with.");
    public static UiText VerificationTokenInvalid() => Error(4070001, "This verification link is not valid or was already used. Request a new one.");
    public static UiText VerificationFlowExpired(DateTime expiredAt) => Expired(4070005, "verification", expiredAt);
    public static UiText VerificationCodeInvalid() => Error(4070006, "This verification code is not valid or was already used. Try again.");
    public static UiText VerificationTooManyAttempts() => Error(4070006,
        "Too many wrong verification codes were entered. Start the verification again to get a new code.");

    // Shared.
    public static UiText Generic(string reason) => Error(4000001, reason, new JsonObject { ["reason"] = reason });
    public static UiText Required(string property) =>
        Error(4000002, $"The field {property} must be filled in.", new JsonObject { ["property"] = property });
    public static UiText AddressNotVerified() => Error(4000010, "This account's address is not verified yet. Verify it first, then sign in.");

    public static UiText MethodNotAvailable(AddressFlowKind kind, string method) => Generic(kind == AddressFlowKind.Recovery
        ? $"Account recovery with '{method}' is not available on this server."
        : $"Verification with '{method}' is not available on this server.");

    public static UiText Sent(AddressFlowKind kind, string method) => (kind, method) switch
    {
        (AddressFlowKind.Recovery, "link") => RecoveryLinkSent(),
        (AddressFlowKind.Recovery, _) => RecoveryCodeSent(),
        (_, "link") => VerificationLinkSent(),
        _ => VerificationCodeSent(),
    };

    public static UiText CodeInvalid(AddressFlowKind kind) => kind == AddressFlowKind.Recovery ? RecoveryCodeInvalid() : VerificationCodeInvalid();
    public static UiText TokenInvalid(AddressFlowKind kind) => kind == AddressFlowKind.Recovery ? RecoveryTokenInvalid() : VerificationTokenInvalid();
    public static UiText TooManyAttempts(AddressFlowKind kind) => kind == AddressFlowKind.Recovery ? RecoveryTooManyAttempts() : VerificationTooManyAttempts();
    public static UiText FlowExpired(AddressFlowKind kind, DateTime at) => kind == AddressFlowKind.Recovery ? RecoveryFlowExpired(at) : VerificationFlowExpired(at);

    private static UiText Expired(int id, string what, DateTime expiredAt)
    {
        var minutes = Math.Max(0, (int)(DateTime.UtcNow - expiredAt).TotalMinutes);
        return Error(id, $"The {what} form timed out {minutes} minute(s) ago. Please start again.", new JsonObject
        {
            ["expired_at"] = expiredAt.ToString("O"),
            ["expired_at_unix"] = Unix(expiredAt),
        });
    }

    private static long Unix(DateTime t) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeSeconds();

    /// <summary>Every message above, for the catalog check against Kratos' id list.</summary>
    public static IReadOnlyList<UiText> Samples() =>
    [
        LabelEmail(), LabelResendCode(), LabelContinue(), LabelRecoveryCode(), LabelVerificationCode(), LabelEmailOrPhone(),
        RecoverySuccessful(DateTime.UtcNow), RecoveryLinkSent(), RecoveryCodeSent(), RecoveryTokenInvalid(),
        RecoveryFlowExpired(DateTime.UtcNow), RecoveryCodeInvalid(), RecoveryTooManyAttempts(),
        VerificationLinkSent(), VerificationSuccessful(), VerificationCodeSent(), VerificationTokenInvalid(),
        VerificationFlowExpired(DateTime.UtcNow), VerificationCodeInvalid(), VerificationTooManyAttempts(),
        Generic("r"), Required("p"), AddressNotVerified(),
    ];
}
