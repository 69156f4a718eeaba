using Warden.Ui;
using Xunit;

namespace Warden.Tests.Settings;

/// <summary>
/// The settings flow's messages live in the shared catalog, so the catalog check against Kratos' id list
/// (<c>WireReferenceTests</c>) covers them too.
/// </summary>
public sealed class SettingsMessagesTests
{
    [Fact]
    public void Settings_messages_are_in_the_shared_catalog()
    {
        var ids = Messages.Samples().Select(m => m.Id).ToHashSet();
        Assert.All(new[] { 1050001, 1070003, 4010004, 4050001 }, id => Assert.Contains(id, ids));
        Assert.Equal("success", Messages.SettingsSaved().Type);
        Assert.Equal("info", Messages.LabelSave().Type);
        Assert.Equal("error", Messages.NoSettingsMethod().Type);
        Assert.Equal(["expired_at", "expired_at_unix"], Messages.SettingsFlowExpired(DateTime.UtcNow).Context!.Select(p => p.Key));
    }
}
