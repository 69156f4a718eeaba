using System.Text.Json.Nodes;

namespace Warden.Ui;

/// <summary>
/// Warden's message catalog. Ids, types and context keys are Kratos' (clients and translation files key
/// on them); the English texts are Warden's own. Every message a flow can show is created here so the
/// ids stay in one reviewable place.
/// </summary>
public static class Messages
{
    private static UiText Info(int id, string text, JsonObject? ctx = null) => new(id, text, "info", ctx);
    private static UiText Error(int id, string text, JsonObject? ctx = null) => new(id, text, "error", ctx);

    // Labels and buttons.
    public static UiText LoginSubmit() => Info(1010001, "Sign in");
    public static UiText LoginWithPassword() => Info(1010022, "Sign in with password");
    public static UiText RegistrationSubmit() => Info(1040001, "Sign up");
    public static UiText LabelPassword() => Info(1070001, "Password");
    public static UiText LabelGenerated(string title, string name) =>
        Info(1070002, title, new JsonObject { ["title"] = title, ["name"] = name });
    public static UiText LabelId() => Info(1070004, "ID");
    public static UiText LabelEmail() => Info(1070007, "Email");

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
    public static UiText IdentityDisabled() => Error(4010011, "This account has been disabled.");

    public static UiText LoginFlowExpired(DateTime expiredAt) => Expired(4010001, "sign-in", expiredAt);
    public static UiText RegistrationFlowExpired(DateTime expiredAt) => Expired(4040001, "sign-up", expiredAt);

    private static UiText Expired(int id, string what, DateTime expiredAt)
    {
        var ago = DateTime.UtcNow - expiredAt;
        var minutes = Math.Max(0, (int)ago.TotalMinutes);
        return Error(id, $"The {what} form timed out {minutes} minute(s) ago. Please try again.", new JsonObject
        {
            ["expired_at"] = expiredAt.ToString("O"),
            ["expired_at_unix"] = new DateTimeOffset(DateTime.SpecifyKind(expiredAt, DateTimeKind.Utc)).ToUnixTimeSeconds(),
        });
    }

    /// <summary>Every id this catalog can emit, with its type and context keys (checked against Kratos' list in tests).</summary>
    public static IReadOnlyList<UiText> Samples() =>
    [
        LoginSubmit(), LoginWithPassword(), RegistrationSubmit(), LabelPassword(), LabelGenerated("t", "n"), LabelId(),
        LabelEmail(), Generic("r"), Required("p"), PasswordPolicy("r"), InvalidCredentials(), DuplicateCredentials(),
        PasswordTooSimilar(), PasswordMinLength(8, 3), PasswordMaxLength(72, 80), PasswordBreached(3), IdentityDisabled(),
        NoLoginMethod(), NoRegistrationMethod(),
        LoginFlowExpired(DateTime.UtcNow), RegistrationFlowExpired(DateTime.UtcNow),
    ];
}
