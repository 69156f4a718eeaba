using System.Globalization;

namespace Warden.WebUi;

/// <summary>
/// An sRGB colour with the WCAG 2 contrast arithmetic the UI needs to keep a configured brand colour
/// readable: text on a primary button picks black or white, links are darkened until they reach 4.5:1.
/// </summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb White => new(255, 255, 255);
    public static Rgb Black => new(0, 0, 0);

    /// <summary>Parses <c>#rgb</c> or <c>#rrggbb</c> (case-insensitive); anything else is null.</summary>
    public static Rgb? Parse(string? text)
    {
        if (text is null) return null;
        var s = text.Trim();
        if (!s.StartsWith('#')) return null;
        s = s[1..];
        if (s.Length == 3) s = string.Concat(s.Select(c => new string(c, 2)));
        if (s.Length != 6 || !s.All(char.IsAsciiHexDigit)) return null;
        return new Rgb(Hex(s, 0), Hex(s, 2), Hex(s, 4));
    }

    private static byte Hex(string s, int i) => byte.Parse(s.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public string ToHex() => $"#{R:x2}{G:x2}{B:x2}";

    public double Luminance => 0.2126 * Linear(R) + 0.7152 * Linear(G) + 0.0722 * Linear(B);

    private static double Linear(byte c)
    {
        var v = c / 255.0;
        return v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    public static double Contrast(Rgb a, Rgb b)
    {
        var (l1, l2) = (a.Luminance, b.Luminance);
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    /// <summary>Black or white, whichever reads better on this colour.</summary>
    public Rgb Foreground => Contrast(this, White) >= Contrast(this, Black) ? White : Black;

    /// <summary>This colour, darkened in small steps until it has at least <paramref name="ratio"/> against <paramref name="background"/>.</summary>
    public Rgb DarkenUntil(Rgb background, double ratio)
    {
        var c = this;
        for (var i = 0; i < 40 && Contrast(c, background) < ratio; i++)
            c = new Rgb((byte)(c.R * 0.92), (byte)(c.G * 0.92), (byte)(c.B * 0.92));
        return c;
    }
}
