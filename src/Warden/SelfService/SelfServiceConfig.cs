using System.Text.Json.Nodes;
using Warden.Config;

namespace Warden.SelfService;

/// <summary><c>selfservice.*</c> as Kratos spells it; bound once at startup.</summary>
public sealed class SelfServiceConfig
{
    public string? DefaultBrowserReturnUrl { get; set; }
    public List<string> AllowedReturnUrls { get; set; } = [];
    public FlowsConfig Flows { get; set; } = new();
}

public sealed class FlowsConfig
{
    public FlowConfig Login { get; set; } = new();
    public FlowConfig Registration { get; set; } = new();
    public UiUrlConfig Error { get; set; } = new();
}

public sealed class UiUrlConfig
{
    public string? UiUrl { get; set; }
}

/// <summary>One flow's section: where its UI lives, how long a flow lives, and its hooks.</summary>
public sealed class FlowConfig
{
    public bool Enabled { get; set; } = true;
    public string? UiUrl { get; set; }
    public TimeSpan Lifespan { get; set; } = TimeSpan.FromHours(1);
    public HooksConfig Before { get; set; } = new();
    public AfterConfig After { get; set; } = new();
}

public class HooksConfig
{
    public List<HookConfig> Hooks { get; set; } = [];
}

/// <summary>
/// <c>after</c>: the flow-wide return URL and hooks, plus per-method sections
/// (<c>after.password.hooks</c>) which Kratos lets override the flow-wide ones.
/// </summary>
public sealed class AfterConfig : HooksConfig
{
    public string? DefaultBrowserReturnUrl { get; set; }
    public MethodAfterConfig? Password { get; set; }
    /// <summary>Settings only (the profile method); Kratos' schema has no such key for other flows.</summary>
    public MethodAfterConfig? Profile { get; set; }
    public MethodAfterConfig? Oidc { get; set; }
    public MethodAfterConfig? Code { get; set; }
    public MethodAfterConfig? Webauthn { get; set; }
    public MethodAfterConfig? Passkey { get; set; }
    public MethodAfterConfig? Totp { get; set; }
    public MethodAfterConfig? LookupSecret { get; set; }

    public MethodAfterConfig? ForMethod(string method) => method switch
    {
        "password" => Password,
        "profile" => Profile,
        "oidc" => Oidc,
        "code" => Code,
        "webauthn" => Webauthn,
        "passkey" => Passkey,
        "totp" => Totp,
        "lookup_secret" => LookupSecret,
        _ => null,
    };

    /// <summary>The hooks that run after <paramref name="method"/> succeeded: its own list when it names one, else the flow's.</summary>
    public IReadOnlyList<HookConfig> HooksFor(string method) => ForMethod(method)?.Hooks ?? Hooks;
}

public sealed class MethodAfterConfig
{
    public string? DefaultBrowserReturnUrl { get; set; }
    /// <summary>Null when the method section does not name hooks (then the flow-wide list applies).</summary>
    public List<HookConfig>? Hooks { get; set; }
}

public sealed class HookConfig
{
    public string Hook { get; set; } = "";
    public JsonObject? Config { get; set; }
}

/// <summary><c>selfservice.methods.password</c>.</summary>
public sealed class PasswordMethodConfig
{
    public bool Enabled { get; set; } = true;
    public PasswordPolicyConfig Config { get; set; } = new();
}

public sealed class PasswordPolicyConfig
{
    public string HaveibeenpwnedHost { get; set; } = "api.pwnedpasswords.com";
    public bool HaveibeenpwnedEnabled { get; set; } = true;
    public int MaxBreaches { get; set; }
    public bool IgnoreNetworkErrors { get; set; } = true;
    public int MinPasswordLength { get; set; } = 8;
    public bool IdentifierSimilarityCheckEnabled { get; set; } = true;
}

/// <summary><c>cookies.*</c>: shared defaults for every cookie Warden sets.</summary>
public sealed class CookiesConfig
{
    public string? Domain { get; set; }
    public string? Path { get; set; }
    public string? SameSite { get; set; }
}
