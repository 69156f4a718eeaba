using System.Security.Cryptography;
using System.Text;

namespace Warden.Hashing;

/// <summary>
/// Strict decoders for the encodings found inside stored hashes. Stored hashes come from imports, so every
/// decoder returns false on anything unexpected instead of throwing or guessing (no whitespace skipping,
/// no padding tolerance where the format has none). Base64 must be canonical: the unused low bits of the
/// last character must be zero (Go's strict decoding), otherwise one hash would have several spellings and
/// an altered last character would still verify.
/// </summary>
internal static class HashEncoding
{
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Standard alphabet, with '=' padding required (Go's <c>StdEncoding</c>).</summary>
    public static bool TryDecodePadded(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 != 0 || !OnlyBase64Chars(text, allowPadding: true)) return false;
        var padAt = text.IndexOf('=');
        if (padAt >= 0 && (padAt < text.Length - 2 || text.AsSpan(padAt).ContainsAnyExcept('='))) return false;
        return TryConvert(text, out bytes) && Convert.ToBase64String(bytes) == text;
    }

    /// <summary>Standard alphabet without padding (Go's <c>RawStdEncoding</c>, used by PHC strings).</summary>
    public static bool TryDecodeRaw(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1 || !OnlyBase64Chars(text, allowPadding: false)) return false;
        return TryConvert(text + new string('=', (4 - text.Length % 4) % 4), out bytes) && EncodeRaw(bytes) == text;
    }

    public static string EncodeRaw(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryConvert(string padded, out byte[] bytes)
    {
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            bytes = [];
            return false;
        }
        bytes = buffer[..written];
        return true;
    }

    private static bool OnlyBase64Chars(string text, bool allowPadding)
    {
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/') continue;
            if (allowPadding && c == '=') continue;
            return false;
        }
        return true;
    }

    /// <summary>Parses <c>key=value,key=value</c> parameter lists of PHC strings with exact, lower-case keys.</summary>
    public static bool TryParseParams(string text, ReadOnlySpan<string> keys, Span<long> values)
    {
        var parts = text.Split(',');
        if (parts.Length != keys.Length) return false;
        for (var i = 0; i < parts.Length; i++)
        {
            var prefix = keys[i] + "=";
            if (!parts[i].StartsWith(prefix, StringComparison.Ordinal)) return false;
            var number = parts[i].AsSpan(prefix.Length);
            // Digits only: no sign, no spaces, no hex, so one hash has exactly one spelling.
            if (number.Length is 0 or > 18 || number.ContainsAnyExceptInRange('0', '9')) return false;
            values[i] = long.Parse(number, System.Globalization.CultureInfo.InvariantCulture);
        }
        return true;
    }

    public static bool FixedTimeEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        CryptographicOperations.FixedTimeEquals(a, b);

    /// <summary>Compares two ASCII strings (encoded hash parts) in constant time for equal lengths.</summary>
    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    public static byte[] RandomBytes(int count) => RandomNumberGenerator.GetBytes(count);
}
