using Warden.Config;

namespace Warden.WebUi;

/// <summary>
/// Branding of the built-in UI (<c>warden.ui.*</c>, a Warden extension of the Kratos config format).
/// Validated at startup so a typo in a colour or URL stops the server naming the key, instead of
/// producing an unreadable page.
/// </summary>
public sealed class WebUiOptions
{
    public const string DefaultPrimary = "#3949ab";

    public string ProductName { get; init; } = "Warden";
    /// <summary>Absolute http(s) URL or a path on this server; null shows the product name only.</summary>
    public string? LogoUrl { get; init; }
    public Rgb Primary { get; init; } = Rgb.Parse(DefaultPrimary)!.Value;

    public static WebUiOptions From(WardenConfig config)
    {
        var name = config.String("warden.ui.product_name");
        if (name is not null && (name.Trim().Length == 0 || name.Length > 80))
            throw new ConfigException("warden.ui.product_name", "must be between 1 and 80 characters");
        var logo = config.String("warden.ui.logo_url");
        if (logo is { Length: > 0 } && !IsLogoUrl(logo))
            throw new ConfigException("warden.ui.logo_url", $"'{logo}' is not an absolute http(s) URL or a path starting with /");
        var color = config.String("warden.ui.primary_color");
        Rgb primary = Rgb.Parse(DefaultPrimary)!.Value;
        if (color is { Length: > 0 })
            primary = Rgb.Parse(color) ?? throw new ConfigException("warden.ui.primary_color",
                $"'{color}' is not a colour in the form #rgb or #rrggbb");
        return new WebUiOptions
        {
            ProductName = name?.Trim() ?? "Warden",
            LogoUrl = string.IsNullOrEmpty(logo) ? null : logo,
            Primary = primary,
        };
    }

    private static bool IsLogoUrl(string url)
    {
        if (url.StartsWith('/') && !url.StartsWith("//")) return !url.Any(char.IsWhiteSpace);
        return Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == "https" || u.Scheme == "http");
    }

    /// <summary>The origin a CSP must allow for the logo, or null when it is served by Warden itself.</summary>
    public string? LogoOrigin =>
        LogoUrl is { } l && Uri.TryCreate(l, UriKind.Absolute, out var u) && !l.StartsWith('/') ? u.GetLeftPart(UriPartial.Authority) : null;
}
