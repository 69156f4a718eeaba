using System.Text.Json.Nodes;
using Warden.Ui;
using Warden.WebUi;
using Xunit;

namespace Warden.Tests.WebUi;

/// <summary>The UI resource catalog: English from the API's own texts, other languages by message id.</summary>
public sealed class CatalogTests
{
    private static UiCatalog WithGerman()
    {
        var en = UiCatalog.LoadEmbedded().For("en");
        var de = UiLocale.FromJson(new JsonObject
        {
            ["language"] = "de",
            ["strings"] = new JsonObject { ["page.login"] = "Anmelden" },
            ["messages"] = new JsonObject { ["4000002"] = "Das Feld {property} muss ausgefüllt werden." },
        });
        var enCopy = UiLocale.FromJson(new JsonObject { ["language"] = "en", ["strings"] = new JsonObject { ["page.login"] = en["page.login"] } });
        return new UiCatalog([enCopy, de]);
    }

    [Fact]
    public void English_is_embedded_and_has_every_page_title()
    {
        var en = UiCatalog.LoadEmbedded().For(null);
        Assert.Equal("en", en.Language);
        foreach (var page in new[] { "login", "registration", "settings", "recovery", "verification", "error", "welcome" })
            Assert.True(en.Has("page." + page), page);
    }

    [Fact]
    public void English_messages_are_the_api_texts()
    {
        var en = UiCatalog.LoadEmbedded().For("en-GB");
        foreach (var m in Messages.Samples()) Assert.Equal(m.Text, en.Text(m));
    }

    [Theory]
    [InlineData("de-DE,de;q=0.9,en;q=0.8", "de")]
    [InlineData("fr-CH, fr;q=0.9, de;q=0.7", "de")]
    [InlineData("en-US,de;q=0.5", "en")]
    [InlineData("de;q=0, fr", "en")]
    [InlineData("*", "en")]
    [InlineData("", "en")]
    [InlineData("!!garbage;;q=x", "en")]
    public void Language_from_accept_language(string header, string expected) =>
        Assert.Equal(expected, WithGerman().For(header).Language);

    [Fact]
    public void Translations_interpolate_context_and_fall_back_to_english()
    {
        var de = WithGerman().For("de");
        Assert.Equal("Das Feld email muss ausgefüllt werden.", de.Text(Messages.Required("email")));
        // No German text for this id: the API's English text.
        Assert.Equal(Messages.InvalidCredentials().Text, de.Text(Messages.InvalidCredentials()));
        Assert.Equal("Anmelden", de["page.login"]);
        Assert.Equal("missing.key", de["missing.key"]);
    }
}
