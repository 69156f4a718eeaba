using Warden.Config;
using Warden.SelfService.Flows;

namespace Warden.SelfService;

/// <summary>
/// Every URL a self-service response points at: UI pages (configured <c>ui_url</c>s, defaulting to the
/// built-in UI under <c>/ui/</c>), the form actions, and the return URLs after success.
/// </summary>
public sealed class SelfServiceUrls(SelfServiceConfig config, BaseUrls urls)
{
    public SelfServiceConfig Config => config;

    /// <summary>The config of a login or registration flow; the other kinds have their own config classes.</summary>
    public FlowConfig FlowConfig(FlowKind kind) => kind switch
    {
        FlowKind.Login => config.Flows.Login,
        FlowKind.Registration => config.Flows.Registration,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only login and registration flows are configured here."),
    };

    public string UiUrl(FlowKind kind) =>
        FlowConfig(kind).UiUrl is { Length: > 0 } u ? u : urls.PublicUrl("ui/" + Segment(kind));

    public string ErrorUiUrl => config.Flows.Error.UiUrl is { Length: > 0 } u ? u : urls.PublicUrl("ui/error");

    public string DefaultReturnUrl =>
        config.DefaultBrowserReturnUrl is { Length: > 0 } u ? u : urls.PublicUrl("ui/welcome");

    public string Action(FlowKind kind, Guid id) => urls.PublicUrl($"self-service/{Segment(kind)}?flow={id}");

    public string BrowserInit(FlowKind kind) => urls.PublicUrl($"self-service/{Segment(kind)}/browser");

    public string UiFlow(FlowKind kind, Guid id) => WithQuery(UiUrl(kind), "flow", id.ToString());

    public string UiError(Guid id) => WithQuery(ErrorUiUrl, "id", id.ToString());

    /// <summary>
    /// Where a browser goes after success: the flow's return_to, else <c>after.&lt;method&gt;</c>, else
    /// <c>after</c>, else <c>selfservice.default_browser_return_url</c>.
    /// </summary>
    public string AfterSuccess(Flow flow, string method)
    {
        if (flow.ReturnTo is { Length: > 0 } r) return r;
        var after = FlowConfig(flow.Kind).After;
        if (after.ForMethod(method)?.DefaultBrowserReturnUrl is { Length: > 0 } m) return m;
        if (after.DefaultBrowserReturnUrl is { Length: > 0 } a) return a;
        return DefaultReturnUrl;
    }

    public string PublicBase(string path, string query) => urls.PublicUrl(path) + query;

    public static string Segment(FlowKind kind) => FlowStore.KindName(kind);

    public static string WithQuery(string url, string key, string value)
    {
        var sep = url.Contains('?') ? '&' : '?';
        return $"{url}{sep}{Uri.EscapeDataString(key)}={Uri.EscapeDataString(value)}";
    }
}
