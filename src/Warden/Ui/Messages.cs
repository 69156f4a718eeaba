using System.Text.Json.Nodes;
using Warden.SelfService.Verification;

namespace Warden.Ui;

/// <summary>
/// Warden's message catalog, for every flow. Ids, types and context keys are Kratos' (clients and translation
/// files key on them); the English texts are Warden's own. Every message a flow can show is created here so
/// the ids stay in one reviewable place, checked against Kratos' list through <see cref="Samples"/>.
/// </summary>
public static class Messages
{
    private static UiText Info(int id, string text, JsonObject? ctx = null) => new(id, text, "info", ctx);
    private static UiText Error(int id, string text, JsonObject? ctx = null) => new(id, text, "error", ctx);
    private static UiText Success(int id, string text, JsonObject? ctx = null) => new(id, text, "success", ctx);

    // Labels and buttons.
    public static UiText LoginSubmit() => Info(1010001, "Sign in");
    public static UiText LoginWithPassword() => Info(1010022, "Sign in with password");
    public static UiText RegistrationSubmit() => Info(1040001, "Sign up");
    public static UiText LabelPassword() => Info(1070001, "Password");
    public static UiText LabelGenerated(string title, string name) =>
        Info(1070002, title, new JsonObject { ["title"] = title, ["name"] = name });
    public static UiText LabelSave() => Info(1070003, "Save");
    public static UiText LabelId() => Info(1070004, "ID");
    public static UiText LabelEmail() => Info(1070007, "Email");
    public static UiText LabelResendCode() => Info(1070008, "Send a new code");
    public static UiText LabelContinue() => Info(1070009, "Continue");
    public static UiText LabelRecoveryCode() => Info(1070010, "Recovery code");
    public static UiText LabelVerificationCode() => Info(1070011, "Verification code");
    public static UiText LabelEmailOrPhone() => Info(1070018, "Email or phone number");

    // Validation.
    public static UiText Generic(string reason) => Error(4000001, reason, new JsonObject { ["reason"] = reason });
    public static UiText Required(string property) =>
        Error(4000002, $"The field {property} must be filled in.", new JsonObject { ["property"] = property });
    public static UiText PasswordPolicy(string reason) =>
        Error(4000005, $"This password cannot be used: {reason}", new JsonObject { ["reason"] = reason });
    public static UiText InvalidCredentials() =>
        Error(4000006, "The identifier or password is not correct. Check both for typing mistakes and try again.");
    public static UiText DuplicateCredentials() =>
        Error(4000007, "An account with this identifier (such as this email address, phone number or username) already exists.");
    public static UiText AddressNotVerified() => Error(4000010, "This account's address is not verified yet. Verify it first, then sign in.");
    public static UiText PasswordTooSimilar() =>
        Error(4000031, "This password is too close to your identifier. Choose one that does not resemble it.");
    public static UiText PasswordMinLength(int min, int actual) =>
        Error(4000032, $"The password needs at least {min} characters; this one has {actual}.",
            new JsonObject { ["min_length"] = min, ["actual_length"] = actual });
    public static UiText PasswordMaxLength(int max, int actual) =>
        Error(4000033, $"The password may have at most {max} characters; this one has {actual}.",
            new JsonObject { ["max_length"] = max, ["actual_length"] = actual });
    public static UiText PasswordBreached(long breaches) =>
        Error(4000034, "This password appeared in known data breaches and cannot be used. Please choose another one.",
            new JsonObject { ["breaches"] = breaches });
    public static UiText NoLoginMethod() =>
        Error(4010002, "This sign-in method is not available. Choose another one or reload the page.");
    public static UiText NoRegistrationMethod() =>
        Error(4010003, "This sign-up method is not available. Choose another one or reload the page.");
    public static UiText NoSettingsMethod() =>
        Error(4010004, "This settings method is not available. Choose another one or reload the page.");
    public static UiText IdentityDisabled() => Error(4010011, "This account has been disabled.");

    // Settings.
    public static UiText SettingsSaved() => Success(1050001, "Your changes were saved.");

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
    public static UiText RecoveryCodeInvalid() => Error(4060006, "This recovery code is not valid or was already used. Try again.");
    /// <summary>Same id as <see cref="RecoveryCodeInvalid"/>: clients treat both as "this code is not accepted".</summary>
    public static UiText RecoveryTooManyAttempts() => Error(4060006,
        "Too many wrong recovery codes were entered. Start the account recovery again to get a new code.");

    // Verification.
    public static UiText VerificationLinkSent() => Info(1080001,
        "If this address belongs to an account, a verification link is on its way. Nothing arriving? Check the spelling and use the address you signed up with.");
    public static UiText VerificationSuccessful() => Success(1080002, "Your address is verified.");
    public static UiText VerificationCodeSent() => Info(1080003,
        "If this address belongs to an account, a verification code is on its way. Nothing arriving? Check the spelling and use the address you signed up with.");
    public static UiText VerificationTokenInvalid() => Error(4070001, "This verification link is not valid or was already used. Request a new one.");
    public static UiText VerificationCodeInvalid() => Error(4070006, "This verification code is not valid or was already used. Try again.");
    /// <summary>Same id as <see cref="VerificationCodeInvalid"/>, as for recovery.</summary>
    public static UiText VerificationTooManyAttempts() => Error(4070006,
        "Too many wrong verification codes were entered. Start the verification again to get a new code.");

    // Expired flows.
    public static UiText LoginFlowExpired(DateTime expiredAt) => Expired(4010001, "sign-in", expiredAt);
    public static UiText RegistrationFlowExpired(DateTime expiredAt) => Expired(4040001, "sign-up", expiredAt);
    public static UiText SettingsFlowExpired(DateTime expiredAt) => Expired(4050001, "settings", expiredAt);
    public static UiText RecoveryFlowExpired(DateTime expiredAt) => Expired(4060005, "recovery", expiredAt);
    public static UiText VerificationFlowExpired(DateTime expiredAt) => Expired(4070005, "verification", expiredAt);

    // Recovery and verification share one implementation; these pick the message of the flow at hand.
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
        return Error(id, $"The {what} form timed out {minutes} minute(s) ago. Please try again.", new JsonObject
        {
            ["expired_at"] = expiredAt.ToString("O"),
            ["expired_at_unix"] = Unix(expiredAt),
        });
    }

    private static long Unix(DateTime t) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeSeconds();

    /// <summary>
    /// Every message this catalog can emit, with its type and context keys (checked against Kratos' list in
    /// tests). An id appears twice only where one id deliberately has two texts (too many attempts).
    /// </summary>
    public static IReadOnlyList<UiText> Samples() =>
    [
        LoginSubmit(), LoginWithPassword(), RegistrationSubmit(), LabelPassword(), LabelGenerated("t", "n"), LabelSave(), LabelId(),
        LabelEmail(), LabelResendCode(), LabelContinue(), LabelRecoveryCode(), LabelVerificationCode(), LabelEmailOrPhone(),
        Generic("r"), Required("p"), PasswordPolicy("r"), InvalidCredentials(), DuplicateCredentials(), AddressNotVerified(),
        PasswordTooSimilar(), PasswordMinLength(8, 3), PasswordMaxLength(72, 80), PasswordBreached(3), IdentityDisabled(),
        NoLoginMethod(), NoRegistrationMethod(), NoSettingsMethod(), SettingsSaved(),
        RecoverySuccessful(DateTime.UtcNow), RecoveryLinkSent(), RecoveryCodeSent(), RecoveryTokenInvalid(), RecoveryCodeInvalid(),
        RecoveryTooManyAttempts(),
        VerificationLinkSent(), VerificationSuccessful(), VerificationCodeSent(), VerificationTokenInvalid(), VerificationCodeInvalid(),
        VerificationTooManyAttempts(),
        LoginFlowExpired(DateTime.UtcNow), RegistrationFlowExpired(DateTime.UtcNow), SettingsFlowExpired(DateTime.UtcNow),
        RecoveryFlowExpired(DateTime.UtcNow), VerificationFlowExpired(DateTime.UtcNow),
    ];
}
