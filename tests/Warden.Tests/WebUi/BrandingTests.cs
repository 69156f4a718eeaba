using System.Text.Json.Nodes;
using Warden.Config;
using Warden.WebUi;
using Xunit;

namespace Warden.Tests.WebUi;

/// <summary>warden.ui.* branding: validation naming the key, and colours that stay readable.</summary>
public sealed class BrandingTests
{
    private static WardenConfig Config(JsonObject ui) => new(new JsonObject { ["warden"] = new JsonObject { ["ui"] = ui } });

    [Fact]
    public void Defaults_without_config()
    {
        var o = WebUiOptions.From(new WardenConfig(new JsonObject()));
        Assert.Equal("Warden", o.ProductName);
        Assert.Null(o.LogoUrl);
        Assert.Equal(WebUiOptions.DefaultPrimary, o.Primary.ToHex());
    }

    [Theory]
    [InlineData("#abc", "#aabbcc")]
    [InlineData("#3949AB", "#3949ab")]
    [InlineData(" #000000 ", "#000000")]
    public void Colours_parse(string text, string hex) => Assert.Equal(hex, Rgb.Parse(text)!.Value.ToHex());

    [Theory]
    [InlineData("red")]
    [InlineData("#12345")]
    [InlineData("#gggggg")]
    [InlineData("3949ab")]
    [InlineData("#3949ab; background:url(x)")]
    public void Invalid_colour_is_refused_naming_the_key(string color)
    {
        var e = Assert.Throws<ConfigException>(() => WebUiOptions.From(Config(new JsonObject { ["primary_color"] = color })));
        Assert.Contains("warden.ui.primary_color", e.Message);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("logo.png")]
    [InlineData("//evil.example/logo.png")]
    public void Invalid_logo_is_refused_naming_the_key(string url)
    {
        var e = Assert.Throws<ConfigException>(() => WebUiOptions.From(Config(new JsonObject { ["logo_url"] = url })));
        Assert.Contains("warden.ui.logo_url", e.Message);
    }

    [Fact]
    public void Empty_product_name_is_refused() =>
        Assert.Throws<ConfigException>(() => WebUiOptions.From(Config(new JsonObject { ["product_name"] = "  " })));

    [Fact]
    public void Logo_origin_is_what_the_csp_allows()
    {
        var o = WebUiOptions.From(Config(new JsonObject { ["logo_url"] = "https://cdn.acme.test/img/logo.svg" }));
        Assert.Equal("https://cdn.acme.test", o.LogoOrigin);
        Assert.Null(WebUiOptions.From(Config(new JsonObject { ["logo_url"] = "/static/logo.svg" })).LogoOrigin);
    }

    [Theory]
    [InlineData("#ffeb3b")] // yellow: needs dark text, and links must be darkened a lot
    [InlineData("#3949ab")]
    [InlineData("#00bcd4")]
    [InlineData("#ffffff")]
    [InlineData("#000000")]
    public void Brand_colours_keep_wcag_contrast(string hex)
    {
        var c = Rgb.Parse(hex)!.Value;
        // The better of black and white always reaches 4.5:1 on any colour.
        Assert.True(Rgb.Contrast(c, c.Foreground) >= 4.5);
        Assert.True(Rgb.Contrast(c.DarkenUntil(Rgb.White, 4.5), Rgb.White) >= 4.5);
    }

    [Fact]
    public void Contrast_matches_known_values()
    {
        Assert.Equal(21.0, Rgb.Contrast(Rgb.Black, Rgb.White), 2);
        Assert.Equal(1.0, Rgb.Contrast(Rgb.White, Rgb.White), 2);
        // #767676 on white is the classic 4.54:1 grey.
        Assert.Equal(4.54, Rgb.Contrast(Rgb.Parse("#767676")!.Value, Rgb.White), 2);
    }

    [Fact]
    public void Stylesheet_carries_the_brand_colour_and_a_new_name_per_brand()
    {
        var a = new UiAssets(WebUiOptions.From(Config(new JsonObject { ["primary_color"] = "#ffeb3b" })));
        var b = new UiAssets(WebUiOptions.From(Config(new JsonObject { ["primary_color"] = "#3949ab" })));
        Assert.Contains("--primary: #ffeb3b", a.CssText);
        Assert.Contains("--on-primary: #000000", a.CssText);
        Assert.NotEqual(a.CssPath, b.CssPath);
        Assert.Matches(@"^/ui/assets/warden\.[0-9a-f]{16}\.css$", a.CssPath);
        Assert.DoesNotContain("@import", a.CssText);
        Assert.DoesNotContain("url(", a.CssText);
    }
}
