using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Warden.Schemas;

/// <summary>
/// The <c>format</c> checks Warden enforces. Identity traits are identifiers and addresses, so e-mail and
/// phone are checked for real (not "contains an @"); unknown formats are annotations and always pass,
/// as draft-07 allows.
/// </summary>
internal static partial class SchemaFormats
{
    public static bool IsValid(string format, string value) => format switch
    {
        "email" or "idn-email" => IsEmail(value),
        "tel" => IsPhone(value),
        "date" => IsDate(value),
        "time" => IsTime(value),
        "date-time" => IsDateTime(value),
        "uri" or "iri" => IsUri(value),
        "uri-reference" or "iri-reference" => Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _) && !value.Any(char.IsWhiteSpace),
        "hostname" or "idn-hostname" => IsHostname(value),
        "ipv4" => IsIPv4(value),
        "ipv6" => value.Contains(':') && IPAddress.TryParse(value, out var ip6) && ip6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "uuid" => Guid.TryParseExact(value, "D", out _),
        "regex" => SchemaRegex.TryCompile(value, out _),
        _ => true, // "no-validate" and anything we do not know
    };

    /// <summary>RFC 5321/5322 addr-spec without comments or folding: dot-atom or quoted local part, host name or address literal.</summary>
    public static bool IsEmail(string s)
    {
        if (s.Length is 0 or > 254) return false;
        var at = s.LastIndexOf('@');
        if (at <= 0 || at == s.Length - 1) return false;
        var local = s[..at];
        var domain = s[(at + 1)..];
        if (local.Length > 64 || !IsLocalPart(local)) return false;
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            var literal = domain[1..^1];
            if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
                return IPAddress.TryParse(literal[5..], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            return IsIPv4(literal);
        }
        return IsHostname(domain);
    }

    private static bool IsLocalPart(string local)
    {
        if (local.Length >= 2 && local[0] == '"' && local[^1] == '"')
        {
            for (var i = 1; i < local.Length - 1; i++)
            {
                var c = local[i];
                if (c == '\\') { i++; if (i >= local.Length - 1 || local[i] < 0x20) return false; continue; }
                if (c == '"' || c < 0x20 || c == 0x7f) return false;
            }
            return true;
        }
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..")) return false;
        foreach (var c in local)
        {
            // atext, plus non-ASCII for internationalised addresses (RFC 6531).
            if (char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c)) continue;
            if (c > 0x7f && !char.IsWhiteSpace(c) && !char.IsControl(c)) continue;
            return false;
        }
        return true;
    }

    public static bool IsHostname(string s)
    {
        if (s.EndsWith('.')) s = s[..^1];
        if (s.Length is 0 or > 253) return false;
        foreach (var label in s.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
            foreach (var c in label)
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || (c > 0x7f && char.IsLetterOrDigit(c)))) return false;
        }
        return true;
    }

    private static bool IsIPv4(string s) =>
        Ipv4().IsMatch(s) && s.Split('.').All(p => int.Parse(p, CultureInfo.InvariantCulture) <= 255 && (p.Length == 1 || p[0] != '0'));

    /// <summary>
    /// International (E.164) numbers only: a leading '+', 7 to 15 digits, the first not 0. Spaces, dashes,
    /// dots and parentheses between digits are tolerated because people type them; normalisation strips them.
    /// </summary>
    public static bool IsPhone(string s)
    {
        s = s.Trim();
        if (s.Length < 2 || s[0] != '+') return false;
        var digits = 0;
        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                if (digits == 0 && c == '0') return false;
                digits++;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')')) return false;
        }
        return digits is >= 7 and <= 15;
    }

    public static bool IsDate(string s) =>
        FullDate().IsMatch(s) && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    public static bool IsTime(string s)
    {
        var m = FullTime().Match(s);
        if (!m.Success) return false;
        int H(int g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        if (H(1) > 23 || H(2) > 59 || H(3) > 60) return false;
        return !m.Groups[4].Success || (H(5) <= 23 && H(6) <= 59);
    }

    public static bool IsDateTime(string s)
    {
        var t = s.IndexOfAny(['T', 't']);
        return t == 10 && IsDate(s[..10]) && IsTime(s[11..]);
    }

    /// <summary>Absolute URI with an explicit scheme (.NET would otherwise take "/path" for a file URI).</summary>
    public static bool IsUri(string s)
    {
        var colon = s.IndexOf(':');
        if (colon <= 0 || !Scheme().IsMatch(s[..colon]) || s.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return false;
        return Uri.TryCreate(s, UriKind.Absolute, out _);
    }

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex FullDate();

    [GeneratedRegex(@"^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[zZ]|([+-])(\d{2}):(\d{2}))$")]
    private static partial Regex FullTime();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*$")]
    private static partial Regex Scheme();
}
