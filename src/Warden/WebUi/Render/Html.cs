using System.Net;
using System.Text;

namespace Warden.WebUi.Render;

/// <summary>
/// A tiny HTML writer. Every text and attribute value goes through <see cref="WebUtility.HtmlEncode"/>;
/// nothing from a flow is ever written raw, so a hostile trait value or message cannot inject markup.
/// </summary>
public sealed class Html
{
    private readonly StringBuilder _sb = new();

    public Html Raw(string markup) { _sb.Append(markup); return this; }

    public Html Text(string? text) { _sb.Append(WebUtility.HtmlEncode(text ?? "")); return this; }

    /// <summary>Opens <paramref name="tag"/> with attributes; null values are left out, "" renders a bare boolean attribute.</summary>
    public Html Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _sb.Append('<').Append(tag);
        foreach (var (name, value) in attributes) Attr(name, value);
        _sb.Append('>');
        return this;
    }

    public Html Close(string tag) { _sb.Append("</").Append(tag).Append('>'); return this; }

    /// <summary>A whole element with text content.</summary>
    public Html Element(string tag, string? text, params (string Name, string? Value)[] attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    /// <summary>A void element (input, img, meta, link).</summary>
    public Html Void(string tag, params (string Name, string? Value)[] attributes) => Open(tag, attributes);

    private void Attr(string name, string? value)
    {
        if (value is null) return;
        _sb.Append(' ').Append(name);
        if (value.Length > 0) _sb.Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
    }

    public override string ToString() => _sb.ToString();

    /// <summary>A valid, stable element id from any text (node names contain dots and brackets).</summary>
    public static string Id(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        return sb.Length == 0 || !char.IsAsciiLetter(sb[0]) ? "f-" + sb : sb.ToString();
    }

    /// <summary>True for URLs a page may link or point to: http(s), relative, or (for images) data:image.</summary>
    public static bool SafeUrl(string? url, bool allowDataImage = false)
    {
        if (string.IsNullOrWhiteSpace(url)) return false;
        if (allowDataImage && url.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase)) return true;
        // Checked before Uri.TryCreate: on Unix "/path" parses as an absolute file: URI.
        if (url.StartsWith('/')) return true;
        if (Uri.TryCreate(url, UriKind.Absolute, out var u)) return u.Scheme is "http" or "https";
        return !url.Contains(':');
    }
}
