using System.Text;

namespace Warden.Config;

/// <summary>
/// One CSV record (RFC 4180): fields separated by commas, a field may be double-quoted to contain commas,
/// and <c>""</c> inside quotes is a literal quote. Kratos reads comma separated list values this way, so
/// <c>SECRETS_COOKIE="a,b",c</c> is two secrets. Whitespace is kept: it may be part of a secret.
/// </summary>
internal static class Csv
{
    public static List<string> ParseRecord(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; }
                    else if (text[i] == '"') { i++; break; }
                    else field.Append(text[i++]);
                }
            }
            // Unquoted part (or whatever follows a closing quote, taken literally rather than rejected).
            while (i < text.Length && text[i] != ',') field.Append(text[i++]);
            fields.Add(field.ToString());
            field.Clear();
            if (i >= text.Length) return fields;
            i++; // the comma
        }
    }
}
