using Warden.Config;

namespace Warden.SelfService.Settings;

/// <summary><c>selfservice.flows.settings</c> as Kratos spells it.</summary>
public sealed class SettingsFlowConfig
{
    public string? UiUrl { get; set; }
    public TimeSpan Lifespan { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How recently the session must have been authenticated for password and identifier changes.</summary>
    public TimeSpan PrivilegedSessionMaxAge { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>aal1 | highest_available. Only aal1 exists until MFA lands, so both mean the same today.</summary>
    public string RequiredAal { get; set; } = "highest_available";
    public HooksConfig Before { get; set; } = new();
    // Same shape as login/registration; `after.profile` is the settings-only method section.
    public AfterConfig After { get; set; } = new();
}

