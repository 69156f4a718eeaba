namespace Warden.Courier.Templates;

/// <summary>
/// Warden's own message texts, one set per template type Kratos defines (same field names, so an operator's
/// override for Kratos works here). Written in the engine's syntax and parsed like any override.
/// </summary>
internal static class DefaultTemplates
{
    public sealed record Texts(string Subject, string Html, string Plain, string? Sms = null);

    public static readonly IReadOnlyDictionary<string, Texts> ByType = new Dictionary<string, Texts>(StringComparer.Ordinal)
    {
        ["recovery_valid"] = new(
            "Recover access to your account",
            Page("Recover access to your account",
                "<p>Someone asked to recover access to the account for {{ .To }}. If that was you, open this link to continue:</p>\n"
                + Button("{{ .RecoveryURL }}", "Recover my account")
                + "{{ if .ExpiresInMinutes }}<p>The link works for {{ .ExpiresInMinutes }} minutes.</p>{{ end }}\n"
                + Ignore),
            "Someone asked to recover access to the account for {{ .To }}. If that was you, open this link to continue:\n\n"
                + "{{ .RecoveryURL }}\n\n{{ if .ExpiresInMinutes }}The link works for {{ .ExpiresInMinutes }} minutes.\n\n{{ end }}" + IgnorePlain),
        ["recovery_invalid"] = new(
            "Account recovery request",
            Page("Account recovery request", UnknownHtml("recover access to an account")),
            UnknownPlain("recover access to an account")),
        ["recovery_code_valid"] = new(
            "Your account recovery code",
            Page("Your account recovery code",
                "<p>Enter this code to recover access to the account for {{ .To }}:</p>\n" + Code("{{ .RecoveryCode }}")
                + "{{ if .ExpiresInMinutes }}<p>The code works for {{ .ExpiresInMinutes }} minutes.</p>{{ end }}\n" + Ignore),
            "Enter this code to recover access to the account for {{ .To }}:\n\n{{ .RecoveryCode }}\n\n"
                + "{{ if .ExpiresInMinutes }}The code works for {{ .ExpiresInMinutes }} minutes.\n\n{{ end }}" + IgnorePlain,
            "Your recovery code is: {{ .RecoveryCode }}"),
        ["recovery_code_invalid"] = new(
            "Account recovery request",
            Page("Account recovery request", UnknownHtml("recover access to an account")),
            UnknownPlain("recover access to an account")),
        ["verification_valid"] = new(
            "Please verify your email address",
            Page("Please verify your email address",
                "<p>Open this link to confirm that {{ .To }} is your address:</p>\n" + Button("{{ .VerificationURL }}", "Verify my address")
                + "{{ if .ExpiresInMinutes }}<p>The link works for {{ .ExpiresInMinutes }} minutes.</p>{{ end }}\n" + Ignore),
            "Open this link to confirm that {{ .To }} is your address:\n\n{{ .VerificationURL }}\n\n"
                + "{{ if .ExpiresInMinutes }}The link works for {{ .ExpiresInMinutes }} minutes.\n\n{{ end }}" + IgnorePlain),
        ["verification_invalid"] = new(
            "Address verification request",
            Page("Address verification request", UnknownHtml("verify this address")),
            UnknownPlain("verify this address")),
        ["verification_code_valid"] = new(
            "Your verification code",
            Page("Your verification code",
                "<p>Enter this code to confirm that {{ .To }} is your address:</p>\n" + Code("{{ .VerificationCode }}")
                + "{{ if .VerificationURL }}<p>Or open this link:</p>\n" + Button("{{ .VerificationURL }}", "Verify my address") + "{{ end }}"
                + "{{ if .ExpiresInMinutes }}<p>The code works for {{ .ExpiresInMinutes }} minutes.</p>{{ end }}\n" + Ignore),
            "Enter this code to confirm that {{ .To }} is your address:\n\n{{ .VerificationCode }}\n\n"
                + "{{ if .VerificationURL }}Or open this link:\n\n{{ .VerificationURL }}\n\n{{ end }}"
                + "{{ if .ExpiresInMinutes }}The code works for {{ .ExpiresInMinutes }} minutes.\n\n{{ end }}" + IgnorePlain,
            "Your verification code is: {{ .VerificationCode }}"),
        ["verification_code_invalid"] = new(
            "Address verification request",
            Page("Address verification request", UnknownHtml("verify this address")),
            UnknownPlain("verify this address")),
        ["login_code_valid"] = new(
            "Your sign-in code",
            Page("Your sign-in code",
                "<p>Enter this code to sign in as {{ .To }}:</p>\n" + Code("{{ .LoginCode }}")
                + "{{ if .ExpiresInMinutes }}<p>The code works for {{ .ExpiresInMinutes }} minutes.</p>{{ end }}\n" + Ignore),
            "Enter this code to sign in as {{ .To }}:\n\n{{ .LoginCode }}\n\n"
                + "{{ if .ExpiresInMinutes }}The code works for {{ .ExpiresInMinutes }} minutes.\n\n{{ end }}" + IgnorePlain,
            "Your sign-in code is: {{ .LoginCode }}"),
        ["registration_code_valid"] = new(
            "Complete your registration",
            Page("Complete your registration",
                "<p>Enter this code to finish creating the account for {{ .To }}:</p>\n" + Code("{{ .RegistrationCode }}")
                + "{{ if .ExpiresInMinutes }}<p>The code works for {{ .ExpiresInMinutes }} minutes.</p>{{ end }}\n" + Ignore),
            "Enter this code to finish creating the account for {{ .To }}:\n\n{{ .RegistrationCode }}\n\n"
                + "{{ if .ExpiresInMinutes }}The code works for {{ .ExpiresInMinutes }} minutes.\n\n{{ end }}" + IgnorePlain,
            "Your registration code is: {{ .RegistrationCode }}"),
    };

    private const string Ignore = "<p style=\"color:#666\">If you did not ask for this, you can ignore this message.</p>\n";
    private const string IgnorePlain = "If you did not ask for this, you can ignore this message.\n";

    private static string Page(string title, string content) =>
        "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
        + "<body style=\"font-family:sans-serif;line-height:1.5\">\n<h1 style=\"font-size:1.3em\">" + title + "</h1>\n"
        + content + "</body>\n</html>\n";

    private static string Button(string href, string label) =>
        "<p><a href=\"" + href + "\" style=\"display:inline-block;padding:.5em 1em;background:#2b59c3;color:#fff;text-decoration:none;border-radius:4px\">"
        + label + "</a></p>\n<p style=\"font-size:.9em\">" + href + "</p>\n";

    private static string Code(string code) =>
        "<p style=\"font-size:1.6em;font-family:monospace;letter-spacing:.15em\"><strong>" + code + "</strong></p>\n";

    private static string UnknownHtml(string what) =>
        "<p>Someone tried to " + what + " using {{ .To }}, but no account here uses that address.</p>\n"
        + "<p>If that was you, check whether you signed up with a different address. Otherwise you can ignore this message.</p>\n";

    private static string UnknownPlain(string what) =>
        "Someone tried to " + what + " using {{ .To }}, but no account here uses that address.\n\n"
        + "If that was you, check whether you signed up with a different address. Otherwise you can ignore this message.\n";
}
