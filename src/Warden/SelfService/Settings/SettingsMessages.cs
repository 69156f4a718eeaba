using System.Text.Json.Nodes;
using Warden.Ui;

namespace Warden.SelfService.Settings;

/// <summary>
/// The settings flow's UI messages (Kratos ids and context keys, Warden's texts). Kept here until they move
/// into <see cref="Messages"/>, which is shared with other flows.
/// </summary>
public static class SettingsMessages
{
    public static UiText Saved() => new(1050001, "Your changes were saved.", "success");
    public static UiText SaveButton() => new(1070003, "Save", "info");
    public static UiText NoMethod() =>
        new(4010004, "This settings method is not available. Choose another one or reload the page.", "error");

    public static UiText FlowExpired(DateTime expiredAt)
    {
        var minutes = Math.Max(0, (int)(DateTime.UtcNow - expiredAt).TotalMinutes);
        return new UiText(4050001, $"The settings form timed out {minutes} minute(s) ago. Please try again.", "error", new JsonObject
        {
            ["expired_at"] = expiredAt.ToString("O"),
            ["expired_at_unix"] = new DateTimeOffset(DateTime.SpecifyKind(expiredAt, DateTimeKind.Utc)).ToUnixTimeSeconds(),
        });
    }

    /// <summary>Every message above, for the catalog check against Kratos' id list.</summary>
    public static IReadOnlyList<UiText> Samples() => [Saved(), SaveButton(), NoMethod(), FlowExpired(DateTime.UtcNow)];
}
