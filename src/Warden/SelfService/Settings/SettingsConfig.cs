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
    public SettingsAfterConfig After { get; set; } = new();
}

/// <summary>
/// <c>after</c> of the settings flow: flow-wide return URL and hooks plus one section per method, which
/// replaces the flow-wide hooks when it names its own (Kratos' precedence, as in login/registration).
/// </summary>
public sealed class SettingsAfterConfig : HooksConfig
{
    public string? DefaultBrowserReturnUrl { get; set; }
    public MethodAfterConfig? Profile { get; set; }
    public MethodAfterConfig? Password { get; set; }
    public MethodAfterConfig? Oidc { get; set; }
    public MethodAfterConfig? Totp { get; set; }
    public MethodAfterConfig? Webauthn { get; set; }
    public MethodAfterConfig? Passkey { get; set; }
    public MethodAfterConfig? LookupSecret { get; set; }

    public MethodAfterConfig? ForMethod(string method) => method switch
    {
        "profile" => Profile,
        "password" => Password,
        "oidc" => Oidc,
        "totp" => Totp,
        "webauthn" => Webauthn,
        "passkey" => Passkey,
        "lookup_secret" => LookupSecret,
        _ => null,
    };

    /// <summary>The hooks that run after <paramref name="method"/> succeeded.</summary>
    public IReadOnlyList<HookConfig> HooksFor(string method) => ForMethod(method)?.Hooks ?? Hooks;
}
