using System.Text;

namespace Warden.Schemas;

/// <summary>
/// How identifiers and addresses are normalised before they are stored or looked up, so that
/// "Alice@Example.org ", "alice@example.org" and the full-width form of it are one account.
/// </summary>
public static class TraitNormalization
{
    /// <summary>Trim and Unicode NFKC (compatibility forms fold together: full-width letters, ligatures).</summary>
    public static string Basic(string value)
    {
        var trimmed = value.Trim();
        try
        {
            return Unicode.Nfkc.Normalize(trimmed).Trim();
        }
        catch (ArgumentException)
        {
            return trimmed; // not representable as code points: leave as is
        }
    }

    public static string Email(string value) => Basic(value).ToLowerInvariant();

    /// <summary>Digits with the leading '+' kept: "+49 (151) 123-45" becomes "+4915112345".</summary>
    public static string Phone(string value)
    {
        var basic = Basic(value);
        var sb = new StringBuilder(basic.Length);
        if (basic.StartsWith('+')) sb.Append('+');
        foreach (var c in basic)
            if (char.IsAsciiDigit(c)) sb.Append(c);
        return sb.Length > (basic.StartsWith('+') ? 1 : 0) ? sb.ToString() : basic;
    }

    /// <summary>An address for a channel: sms numbers as digits, e-mail lower-cased.</summary>
    public static string Address(string via, string value) => via == "sms" ? Phone(value) : Email(value);

    /// <summary>
    /// A credential identifier (password, webauthn, code). Kratos compat: identifiers are matched
    /// case-insensitively, so every identifier is lower-cased, not only e-mail addresses; phone numbers
    /// are reduced to digits.
    /// </summary>
    public static string Identifier(string value, bool phone) => phone ? Phone(value) : Basic(value).ToLowerInvariant();

    /// <summary>
    /// What a user typed into a login "identifier" field, normalised the way stored identifiers are:
    /// a phone number in international form becomes digits, anything else is trimmed, NFKC and lower-cased.
    /// </summary>
    public static string LoginIdentifier(string value) =>
        SchemaFormats.IsPhone(value) ? Phone(value) : Basic(value).ToLowerInvariant();
}
