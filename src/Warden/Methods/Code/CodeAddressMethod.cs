using System.Text.Json.Nodes;
using Warden.SelfService.Verification;
using Warden.Ui;

namespace Warden.Methods.Code;

/// <summary>
/// <c>code</c> for verification and recovery: a six-digit code is mailed and typed into the flow's form
/// (or arrives through the mailed <c>?flow=&amp;code=</c> link). Node layout and order follow Kratos.
/// </summary>
internal sealed class CodeAddressMethod(AddressFlowOptions options) : IAddressFlowMethod
{
    public const string Group = "code";

    public string Id => "code";
    public TimeSpan Lifespan => options.Code.Lifespan;
    public bool CountsSubmissions => true;
    public bool LooksValid(string secret) => OneTimeSecrets.LooksLikeCode(secret);

    public string SecretKind(AddressFlowKind kind) =>
        kind == AddressFlowKind.Recovery ? OneTimeCodeStore.Kinds.RecoveryCode : OneTimeCodeStore.Kinds.VerificationCode;

    public string NewSecret() => OneTimeSecrets.NewCode();

    public string Template(AddressFlowKind kind, bool valid) =>
        $"{AddressFlow.KindName(kind)}_code_{(valid ? "valid" : "invalid")}";

    public void PopulateChooseMethod(AddressFlow flow)
    {
        flow.Ui.Nodes.Clear();
        if (flow.Kind == AddressFlowKind.Verification)
        {
            // Kratos compat: the verification code form asks for "email or phone" and puts the CSRF node last.
            flow.Ui.Nodes.Add(UiNode.Input(Group, "email", "text", required: true, label: Messages.LabelEmailOrPhone()));
            flow.Ui.Nodes.Add(Submit());
            flow.Ui.Nodes.Add(Csrf());
            return;
        }
        flow.Ui.Nodes.Add(Csrf());
        flow.Ui.Nodes.Add(UiNode.Input(Group, "email", "email", required: true, label: Messages.LabelEmail()));
        flow.Ui.Nodes.Add(Submit());
    }

    public void PopulateSent(AddressFlow flow, string address)
    {
        flow.Ui.Nodes.Clear();
        var code = CodeInput(flow.Kind);
        var hidden = UiNode.Input(Group, "method", "hidden", value: Id);
        var resend = UiNode.Input(Group, "email", "submit", value: address, label: Messages.LabelResendCode());
        if (flow.Kind == AddressFlowKind.Verification)
        {
            flow.Ui.Nodes.AddRange([hidden, code, Submit(), Csrf(), resend]);
            return;
        }
        flow.Ui.Nodes.AddRange([Csrf(), code, hidden, Submit(), resend]);
    }

    /// <summary>An admin-issued recovery code: only the code form (the address is never shown), digits only.</summary>
    public static void PopulateAdminCode(AddressFlow flow)
    {
        flow.Ui.Nodes.Clear();
        var a = new JsonObject
        {
            ["name"] = "code", ["type"] = "text", ["required"] = true, ["autocomplete"] = "one-time-code",
            ["pattern"] = "[0-9]+", ["disabled"] = false, ["maxlength"] = 6, ["node_type"] = "input",
        };
        flow.Ui.Nodes.Add(Csrf());
        flow.Ui.Nodes.Add(new UiNode { Group = Group, Attributes = a, Label = Messages.LabelRecoveryCode() });
        flow.Ui.Nodes.Add(Submit());
    }

    private static UiNode CodeInput(AddressFlowKind kind) => UiNode.Input(Group, "code", "text", required: true,
        autocomplete: "one-time-code",
        label: kind == AddressFlowKind.Recovery ? Messages.LabelRecoveryCode() : Messages.LabelVerificationCode());

    private static UiNode Submit() => UiNode.Input(Group, "method", "submit", value: "code", label: Messages.LabelContinue());

    internal static UiNode Csrf() => UiNode.Input(UiGroups.Default, "csrf_token", "hidden", required: true);
}
