using Warden.Methods.Code;
using Warden.SelfService.Verification;
using Warden.Ui;

namespace Warden.Methods.Link;

/// <summary>
/// <c>link</c> for verification and recovery: a mailed URL carries a long random token
/// (<c>/self-service/{verification|recovery}?flow=…&amp;token=…</c>); opening it completes the flow.
/// </summary>
internal sealed class LinkAddressMethod(AddressFlowOptions options) : IAddressFlowMethod
{
    public const string Group = "link";

    public string Id => "link";
    public TimeSpan Lifespan => options.Link.Lifespan;
    public bool CountsSubmissions => false;
    public bool LooksValid(string secret) => OneTimeSecrets.LooksLikeToken(secret);

    public string SecretKind(AddressFlowKind kind) =>
        kind == AddressFlowKind.Recovery ? OneTimeCodeStore.Kinds.RecoveryLink : OneTimeCodeStore.Kinds.VerificationLink;

    public string NewSecret() => OneTimeSecrets.NewToken();

    public string Template(AddressFlowKind kind, bool valid) => $"{AddressFlow.KindName(kind)}_{(valid ? "valid" : "invalid")}";

    public void PopulateChooseMethod(AddressFlow flow) => Populate(flow, null);

    public void PopulateSent(AddressFlow flow, string address) => Populate(flow, address);

    private void Populate(AddressFlow flow, string? address)
    {
        flow.Ui.Nodes.Clear();
        flow.Ui.Nodes.Add(UiNode.Input(UiGroups.Default, "csrf_token", "hidden", required: true));
        flow.Ui.Nodes.Add(UiNode.Input(Group, "email", "email", value: address, required: true, label: Messages.LabelEmail()));
        flow.Ui.Nodes.Add(UiNode.Input(Group, "method", "submit", value: Id, label: Messages.LabelContinue()));
    }
}
