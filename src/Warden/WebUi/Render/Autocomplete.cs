namespace Warden.WebUi.Render;

/// <summary>
/// Autocomplete hints for inputs whose node does not carry one, so password managers and phone keyboards
/// do the right thing: a new password on sign-up/settings/recovery, the current one on sign-in.
/// </summary>
public static class Autocomplete
{
    public static string? For(string name, string type, string flowType)
    {
        var last = name.Split('.').Last().ToLowerInvariant();
        if (type == "password")
            return flowType == "login" ? "current-password" : "new-password";
        if (last is "code" or "totp_code" or "lookup_secret") return "one-time-code";
        if (type == "email" || last == "email") return "email";
        if (type == "tel" || last is "phone" or "phone_number") return "tel";
        if (name == "identifier") return "username";
        if (last == "username") return "username";
        if (last is "first" or "given_name" or "first_name") return "given-name";
        if (last is "last" or "family_name" or "last_name") return "family-name";
        if (last is "name" or "full_name") return "name";
        return null;
    }
}
