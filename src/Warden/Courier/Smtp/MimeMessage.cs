using System.Globalization;
using System.Text;

namespace Warden.Courier.Smtp;

/// <summary>
/// Builds an RFC 5322 / MIME message: multipart/alternative with a plain-text and an HTML part, both UTF-8
/// and quoted-printable, and non-ASCII header text as RFC 2047 encoded words. The result is pure 7-bit ASCII
/// with CRLF line ends, so it passes any SMTP server without 8BITMIME.
/// </summary>
internal static class MimeMessage
{
    public static byte[] Build(string fromAddress, string? fromName, string to, string subject, string text, string html,
        IReadOnlyDictionary<string, string> extraHeaders, DateTimeOffset date, string messageId)
    {
        var boundary = "=_warden_" + Guid.NewGuid().ToString("N");
        var sb = new StringBuilder();
        Header(sb, "From", Mailbox(fromName, fromAddress));
        Header(sb, "To", to);
        Header(sb, "Subject", EncodeText(subject, "Subject".Length + 2));
        Header(sb, "Date", date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", ""));
        Header(sb, "Message-ID", messageId);
        Header(sb, "MIME-Version", "1.0");
        foreach (var (name, value) in extraHeaders)
        {
            if (IsReserved(name)) continue;
            Header(sb, name, EncodeText(value, name.Length + 2));
        }
        Header(sb, "Content-Type", $"multipart/alternative; boundary=\"{boundary}\"");
        sb.Append("\r\n");
        Part(sb, boundary, "text/plain", text);
        Part(sb, boundary, "text/html", html);
        sb.Append("--").Append(boundary).Append("--\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>Header names we set ourselves; an operator's <c>courier.smtp.headers</c> cannot replace them.</summary>
    private static bool IsReserved(string name) =>
        name.Equals("From", StringComparison.OrdinalIgnoreCase) || name.Equals("To", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Subject", StringComparison.OrdinalIgnoreCase) || name.Equals("Date", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Message-ID", StringComparison.OrdinalIgnoreCase) || name.Equals("MIME-Version", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a valid header field name (RFC 5322: printable ASCII except colon and space).</summary>
    public static bool IsHeaderName(string name) => name.Length is > 0 and < 100 && name.All(c => c is > ' ' and < '\u007f' and not ':');

    private static void Header(StringBuilder sb, string name, string value) => sb.Append(name).Append(": ").Append(value).Append("\r\n");

    private static void Part(StringBuilder sb, string boundary, string type, string body)
    {
        sb.Append("--").Append(boundary).Append("\r\n");
        sb.Append("Content-Type: ").Append(type).Append("; charset=UTF-8\r\n");
        sb.Append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        sb.Append(QuotedPrintable(body)).Append("\r\n");
    }

    /// <summary>A display name and address; the name is quoted or encoded as needed.</summary>
    public static string Mailbox(string? name, string address)
    {
        if (string.IsNullOrWhiteSpace(name)) return address;
        name = Clean(name);
        var plain = name.All(c => c is >= ' ' and < '\u007f');
        var shown = !plain ? EncodeText(name, 6) : "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        return $"{shown} <{address}>";
    }

    /// <summary>
    /// Header text: ASCII stays as is; anything else becomes base64 encoded words of at most 75 characters
    /// (split on character boundaries), folded onto continuation lines.
    /// </summary>
    public static string EncodeText(string value, int used)
    {
        value = Clean(value);
        if (value.All(c => c is >= ' ' and < '\u007f') && value.Length + used <= 998) return value;
        var words = new List<string>();
        var chunk = new StringBuilder();
        const int maxBytes = 45; // 45 bytes → 60 base64 chars + 12 of "=?UTF-8?B?" "?=" = 72 ≤ 75
        var e = StringInfo.GetTextElementEnumerator(value);
        while (e.MoveNext())
        {
            var element = (string)e.Current;
            if (Encoding.UTF8.GetByteCount(chunk.ToString()) + Encoding.UTF8.GetByteCount(element) > maxBytes && chunk.Length > 0)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
            }
            chunk.Append(element);
        }
        if (chunk.Length > 0) words.Add(Word(chunk.ToString()));
        return string.Join("\r\n ", words);
    }

    private static string Word(string s) => "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";

    /// <summary>Header values are one line: CR, LF and other control characters become spaces.</summary>
    private static string Clean(string s) => string.Concat(s.Select(c => char.IsControl(c) ? ' ' : c)).Trim();

    /// <summary>RFC 2045 quoted-printable over UTF-8, CRLF line ends, soft breaks before 76 characters.</summary>
    public static string QuotedPrintable(string text)
    {
        var normalized = text.Replace("\r\n", "\n").Replace('\r', '\n');
        var sb = new StringBuilder();
        var lines = normalized.Split('\n');
        for (var li = 0; li < lines.Length; li++)
        {
            var bytes = Encoding.UTF8.GetBytes(lines[li]);
            var lineLength = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                var last = i == bytes.Length - 1;
                var literal = (b is >= 33 and <= 126 && b != '=') || (b is (byte)' ' or (byte)'\t' && !last);
                // A leading dot is encoded too, so no line of the body can end the SMTP DATA by itself.
                if (b == '.' && lineLength == 0) literal = false;
                var piece = literal ? ((char)b).ToString() : "=" + b.ToString("X2", CultureInfo.InvariantCulture);
                if (lineLength + piece.Length > 75)
                {
                    sb.Append("=\r\n");
                    lineLength = 0;
                    if (b == '.') piece = "=2E";
                }
                sb.Append(piece);
                lineLength += piece.Length;
            }
            if (li < lines.Length - 1) sb.Append("\r\n");
        }
        return sb.ToString();
    }
}
