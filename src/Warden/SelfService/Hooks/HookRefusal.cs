using Warden.Ui;

namespace Warden.SelfService.Hooks;

/// <summary>
/// A hook refusing the flow for a reason the user can act on (Kratos' validation error from a hook, e.g.
/// 4000010 from <c>require_verified_address</c>). The flow shows the message like any failed submission:
/// 400 with the flow for JSON and native clients, 303 back to the form for HTML browsers. Hooks throw an
/// <see cref="Warden.Http.ApiException"/> instead for errors that belong on the error page.
/// </summary>
public sealed class HookRefusal(UiText message) : Exception(message.Text)
{
    public UiText UiMessage { get; } = message;
}
