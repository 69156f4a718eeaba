using Warden.Config;

namespace Warden.SelfService.Settings;

/// <summary>Every URL the settings flow points at: its UI, its form action, and where re-authentication happens.</summary>
public sealed class SettingsUrls(SettingsFlowConfig config, BaseUrls urls)
{
    public SettingsFlowConfig Config => config;

    /// <summary><c>selfservice.flows.settings.ui_url</c>, defaulting to the built-in UI.</summary>
    public string UiUrl => config.UiUrl is { Length: > 0 } u ? u : urls.PublicUrl("ui/settings");

    public string UiFlow(Guid id) => SelfServiceUrls.WithQuery(UiUrl, "flow", id.ToString());

    public string Action(Guid id) => urls.PublicUrl($"self-service/settings?flow={id}");

    public string BrowserInit => urls.PublicUrl("self-service/settings/browser");

    public string PublicUrl(string path) => urls.PublicUrl(path);

    /// <summary>The browser login init that signs the user in (again, with <paramref name="refresh"/>) and then returns.</summary>
    public string Login(string returnTo, bool refresh)
    {
        var url = urls.PublicUrl("self-service/login/browser");
        if (refresh) url = SelfServiceUrls.WithQuery(url, "refresh", "true");
        return SelfServiceUrls.WithQuery(url, "return_to", returnTo);
    }

    /// <summary>
    /// Where an HTML browser goes after a successful change: the flow's return_to, else
    /// <c>after.&lt;method&gt;.default_browser_return_url</c>, else <c>after.default_browser_return_url</c>,
    /// else back to the settings UI, which then shows the success message.
    /// </summary>
    public string AfterSuccess(SettingsFlow flow, string method)
    {
        if (flow.ReturnTo is { Length: > 0 } r) return r;
        if (config.After.ForMethod(method)?.DefaultBrowserReturnUrl is { Length: > 0 } m) return m;
        if (config.After.DefaultBrowserReturnUrl is { Length: > 0 } a) return a;
        return UiFlow(flow.Id);
    }
}
