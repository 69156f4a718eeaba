using Warden.Config;

namespace Warden.SelfService.Verification;

/// <summary>URLs of the verification/recovery flows: UI pages (configured or the built-in UI under <c>/ui/</c>), actions, mailed links.</summary>
public sealed class AddressFlowUrls(AddressFlowOptions options, SelfServiceUrls selfService, BaseUrls urls, WardenConfig config)
{
    private readonly string? _settingsUi = config.String("selfservice.flows.settings.ui_url");

    public string UiUrl(AddressFlowKind kind) =>
        options.For(kind).UiUrl is { Length: > 0 } u ? u : urls.PublicUrl($"ui/{AddressFlow.KindName(kind)}");

    public string UiFlow(AddressFlowKind kind, Guid id) => SelfServiceUrls.WithQuery(UiUrl(kind), "flow", id.ToString());

    public string Action(AddressFlowKind kind, Guid id) => urls.PublicUrl($"self-service/{AddressFlow.KindName(kind)}?flow={id}");

    public string BrowserInit(AddressFlowKind kind) => urls.PublicUrl($"self-service/{AddressFlow.KindName(kind)}/browser");

    /// <summary>The mailed link: the submit endpoint with the flow and the code or token in the query.</summary>
    public string SecretLink(AddressFlowKind kind, Guid flowId, string parameter, string secret) =>
        SelfServiceUrls.WithQuery(Action(kind, flowId), parameter, secret);

    public string SettingsUi(Guid id) =>
        SelfServiceUrls.WithQuery(_settingsUi is { Length: > 0 } u ? u : urls.PublicUrl("ui/settings"), "flow", id.ToString());

    public string SettingsAction(Guid id) => urls.PublicUrl($"self-service/settings?flow={id}");

    /// <summary>Where a verified browser continues: return_to, else <c>after.default_browser_return_url</c>, else the global default.</summary>
    public string AfterSuccess(AddressFlow flow)
    {
        if (flow.ReturnTo is { Length: > 0 } r) return r;
        if (options.For(flow.Kind).After.DefaultBrowserReturnUrl is { Length: > 0 } a) return a;
        return selfService.DefaultReturnUrl;
    }

    public string PublicUrl(string pathAndQuery) => urls.PublicUrl(pathAndQuery);
}
