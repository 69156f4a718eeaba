namespace Warden.SelfService.Verification;

/// <summary>
/// <c>selfservice.flows.verification</c> / <c>selfservice.flows.recovery</c>: both flows prove control of an
/// address and share their settings. Kratos' defaults: disabled, one hour, the <c>code</c> method.
/// </summary>
public sealed class AddressFlowConfig
{
    public bool Enabled { get; set; }
    public string? UiUrl { get; set; }
    public TimeSpan Lifespan { get; set; } = TimeSpan.FromHours(1);
    /// <summary>code | link: the one method the flow offers.</summary>
    public string Use { get; set; } = "code";
    /// <summary>
    /// Whether an address that belongs to no account gets the <c>*_invalid</c> template ("someone asked for this,
    /// but there is no account"). The HTTP answer is the same either way, so this never reveals accounts.
    /// </summary>
    // Kratos compat: Kratos defaults this to false. Warden deliberately defaults to true (issue 5): a person who
    // mistyped or forgot which address they signed up with learns why no code arrives, and the owner of an
    // address learns that someone tried it. Operators who prefer Kratos' silence set it to false explicitly.
    public bool NotifyUnknownRecipients { get; set; } = true;
    public HooksConfig Before { get; set; } = new();
    public AfterConfig After { get; set; } = new();
}

/// <summary><c>selfservice.methods.code</c> (enabled by default) and <c>selfservice.methods.link</c> (disabled by default).</summary>
public sealed class AddressMethodConfig
{
    public bool? Enabled { get; set; }
    public bool PasswordlessEnabled { get; set; }
    public AddressMethodSettings Config { get; set; } = new();
}

public sealed class AddressMethodSettings
{
    /// <summary>How long a code or link stays valid; it never outlives its flow.</summary>
    public TimeSpan Lifespan { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Code submissions a flow accepts before it must be started again.</summary>
    public int MaxSubmissions { get; set; } = 5;
}

/// <summary>Everything both flows read from config, bound once at startup.</summary>
public sealed class AddressFlowOptions(AddressFlowConfig verification, AddressFlowConfig recovery,
    AddressMethodConfig code, AddressMethodConfig link)
{
    public AddressFlowConfig Verification => verification;
    public AddressFlowConfig Recovery => recovery;
    public bool CodeEnabled => code.Enabled ?? true;
    public bool LinkEnabled => link.Enabled ?? false;
    public AddressMethodSettings Code => code.Config;
    public AddressMethodSettings Link => link.Config;

    public AddressFlowConfig For(AddressFlowKind kind) => kind == AddressFlowKind.Verification ? verification : recovery;

    public bool MethodEnabled(string method) => method switch
    {
        "code" => CodeEnabled,
        "link" => LinkEnabled,
        _ => false,
    };

    /// <summary>The flow's method: <c>use</c> when that method is enabled, else null (every submission is refused).</summary>
    public string? MethodFor(AddressFlowKind kind) => For(kind).Use is var m && MethodEnabled(m) ? m : null;

    public int MaxSubmissions => Math.Clamp(code.Config.MaxSubmissions, 1, 255);

    public static AddressFlowOptions From(Config.WardenConfig config) => new(
        config.Section<AddressFlowConfig>("selfservice.flows.verification"),
        config.Section<AddressFlowConfig>("selfservice.flows.recovery"),
        config.Section<AddressMethodConfig>("selfservice.methods.code"),
        config.Section<AddressMethodConfig>("selfservice.methods.link"));
}
