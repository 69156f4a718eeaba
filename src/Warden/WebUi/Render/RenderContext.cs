namespace Warden.WebUi.Render;

/// <summary>What the node renderer needs besides the node: the language, the flow type (for autocomplete
/// defaults), an id prefix that keeps ids unique when several forms show the same field, and what the
/// page's Content-Security-Policy must allow for script nodes.</summary>
public sealed class RenderContext(UiLocale locale, string flowType)
{
    public UiLocale L => locale;
    public string FlowType => flowType;
    public string Prefix { get; set; } = "";
    /// <summary>Nonces of script nodes, added to the page's script-src.</summary>
    public List<string> ScriptNonces { get; } = [];
    /// <summary>Set once the first invalid field got autofocus, so keyboard users land on it after a failed post.</summary>
    public bool FocusedError { get; set; }
    /// <summary>Messages of hidden inputs (e.g. a CSRF problem): shown with the flow messages, since the field is invisible.</summary>
    public List<Warden.Ui.UiText> HiddenMessages { get; } = [];
}
