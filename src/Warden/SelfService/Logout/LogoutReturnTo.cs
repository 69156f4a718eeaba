using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Http.Flows;
using Warden.Schemas;

namespace Warden.SelfService.Logout;

/// <summary>
/// Where a browser goes after logout: a validated <c>return_to</c>, else
/// <c>selfservice.flows.logout.after.default_browser_return_url</c>, else
/// <see cref="SelfServiceUrls.DefaultReturnUrl"/> (the same fallback as login). Validation is the shared
/// <see cref="ReturnToValidator"/> over <c>selfservice.allowed_return_urls</c>.
/// </summary>
internal sealed class LogoutReturnTo
{
    private readonly WardenConfig _config;
    private readonly SelfServiceUrls _selfService;
    private readonly ReturnToValidator _validator;

    public LogoutReturnTo(WardenConfig config, BaseUrls urls, SelfServiceUrls selfService)
    {
        _config = config;
        _selfService = selfService;
        var allowed = new List<string>();
        if (config.Node("selfservice.allowed_return_urls") is JsonArray list)
            allowed.AddRange(list.Select(JsonKit.AsString).OfType<string>());
        // The global default is as trusted as the logout-specific one the validator admits by itself.
        if (NonEmpty("selfservice.default_browser_return_url") is { } global) allowed.Add(global);
        _validator = new ReturnToValidator(allowed, urls, () => Default);
    }

    /// <summary>Read per call: the public base URL is only final once the server has bound its port.</summary>
    public string Default =>
        NonEmpty("selfservice.flows.logout.after.default_browser_return_url") ?? _selfService.DefaultReturnUrl;

    /// <summary>The absolute return_to, null when none was given, or a 400 <c>self_service_flow_return_to_forbidden</c>.</summary>
    public string? Validate(string? returnTo) => _validator.Validate(returnTo);

    private string? NonEmpty(string key) => _config.String(key) is { Length: > 0 } s ? s : null;
}
