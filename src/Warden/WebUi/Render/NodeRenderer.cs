using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Ui;
using Warden.Schemas;

namespace Warden.WebUi.Render;

/// <summary>
/// Renders one <c>uiNode</c> of any type Kratos defines (input, img, text, a, script, div) as accessible
/// HTML. This is the only place that knows node types: a new method (TOTP QR code, lookup codes, WebAuthn
/// buttons) renders through here without any page change. Unknown types render nothing rather than fail.
/// </summary>
public static class NodeRenderer
{
    public static void Render(Html h, UiNode node, RenderContext ctx)
    {
        switch (node.Type)
        {
            case "input": Input(h, node, ctx); break;
            case "img": Image(h, node, ctx); break;
            case "text": TextNode(h, node, ctx); break;
            case "a": Anchor(h, node, ctx); break;
            case "script": Script(h, node, ctx); break;
            case "div": Division(h, node, ctx); break;
        }
    }

    private static void Input(Html h, UiNode node, RenderContext ctx)
    {
        var a = node.Attributes;
        var type = Str(a, "type") ?? "text";
        var name = node.Name;
        var label = node.Label is { } l ? ctx.L.Text(l) : null;
        switch (type)
        {
            case "hidden":
                h.Void("input", ("type", "hidden"), ("name", name), ("value", ValueText(node.Value)));
                ctx.HiddenMessages.AddRange(node.Messages);
                return;
            case "submit":
            case "button":
                Button(h, node, type, label ?? name, ctx);
                return;
        }
        var id = Html.Id(ctx.Prefix + name);
        var msgId = node.Messages.Count > 0 ? id + "-msg" : null;
        var invalid = node.Messages.Any(m => m.Type == "error");
        var autofocus = invalid && !ctx.FocusedError ? "" : null;
        if (autofocus is not null) ctx.FocusedError = true;
        var required = Bool(a, "required");
        var disabled = Bool(a, "disabled") ? "" : null;
        var text = label ?? Humanize(name, ctx);

        if (type == "checkbox")
        {
            h.Open("div", ("class", "field check"));
            h.Void("input", ("type", "checkbox"), ("id", id), ("name", name), ("value", "true"),
                ("checked", node.Value is JsonValue v && v.GetValueKind() == JsonValueKind.True ? "" : null),
                ("required", required ? "" : null), ("disabled", disabled), ("aria-describedby", msgId),
                ("aria-invalid", invalid ? "true" : null), ("autofocus", autofocus));
            h.Element("label", text, ("for", id));
            NodeMessages(h, node, msgId, ctx);
            h.Close("div");
            return;
        }

        h.Open("div", ("class", invalid ? "field invalid" : "field"));
        h.Open("label", ("for", id)).Text(text);
        if (required) h.Element("span", " *", ("class", "req"), ("aria-hidden", "true"));
        h.Close("label");
        var common = new List<(string, string?)>
        {
            ("id", id), ("name", name), ("required", required ? "" : null), ("disabled", disabled),
            ("aria-describedby", msgId), ("aria-invalid", invalid ? "true" : null), ("autofocus", autofocus),
        };
        if (a["options"] is JsonArray options)
        {
            h.Open("select", common.ToArray());
            var current = ValueText(node.Value);
            foreach (var o in options.OfType<JsonObject>())
            {
                var value = ValueText(o["value"]) ?? "";
                h.Element("option", o["label"] is JsonObject ol ? ctx.L.Text(UiText.FromJson(ol)) : value,
                    ("value", value), ("selected", value == current ? "" : null));
            }
            h.Close("select");
        }
        else
        {
            common.Insert(0, ("type", type));
            // Secrets are never echoed back into the page.
            if (type != "password") common.Add(("value", ValueText(node.Value)));
            common.Add(("autocomplete", Str(a, "autocomplete") ?? Autocomplete.For(name, type, ctx.FlowType)));
            if (a["maxlength"] is JsonValue ml && ml.TryGetValue<long>(out var max)) common.Add(("maxlength", max.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (Str(a, "pattern") is { } pattern) common.Add(("pattern", pattern));
            if (type is "email" or "tel" or "url" || name.EndsWith("code", StringComparison.Ordinal))
                common.Add(("spellcheck", "false"));
            h.Void("input", common.ToArray());
        }
        NodeMessages(h, node, msgId, ctx);
        h.Close("div");
    }

    private static void Button(Html h, UiNode node, string type, string text, RenderContext ctx)
    {
        var a = node.Attributes;
        var isMethod = node.Name == "method";
        h.Open("button", ("type", type), ("name", node.Name.Length > 0 ? node.Name : null), ("value", ValueText(node.Value)),
            // The method's own submit is the primary action; resend, provider and trigger buttons are secondary.
            ("class", isMethod ? "btn primary" : "btn"),
            ("disabled", Bool(a, "disabled") ? "" : null),
            // A resend/secondary submit must not be blocked by the form's required fields.
            ("formnovalidate", type == "submit" && !isMethod ? "" : null),
            // WebAuthn/passkey buttons name their trigger; a script node provides the function.
            ("data-trigger", Str(a, "onclickTrigger")), ("data-load-trigger", Str(a, "onloadTrigger")));
        h.Text(text).Close("button");
        if (node.Messages.Count > 0) NodeMessages(h, node, null, ctx);
    }

    private static void Image(Html h, UiNode node, RenderContext ctx)
    {
        var a = node.Attributes;
        var src = Str(a, "src");
        if (!Html.SafeUrl(src, allowDataImage: true)) return;
        var alt = node.Label is { } l ? ctx.L.Text(l) : Str(a, "id") ?? "";
        h.Open("figure", ("class", "node-img"));
        h.Void("img", ("src", src), ("alt", alt), ("id", Id(a, ctx)), ("width", Num(a, "width")), ("height", Num(a, "height")));
        if (node.Label is not null) h.Element("figcaption", alt);
        h.Close("figure");
        NodeMessages(h, node, null, ctx);
    }

    private static void TextNode(Html h, UiNode node, RenderContext ctx)
    {
        var a = node.Attributes;
        var id = Id(a, ctx);
        h.Open("div", ("class", "node-text"), ("id", id));
        if (node.Label is { } l) h.Element("p", ctx.L.Text(l), ("class", "node-label"));
        if (a["text"] is JsonObject t)
        {
            var text = UiText.FromJson(t);
            // Lookup secrets: the codes travel as a list of texts in context.secrets.
            if (text.Context?["secrets"] is JsonArray secrets)
            {
                h.Element("p", ctx.L["codes.hint"], ("class", "hint"));
                h.Open("ul", ("class", "codes"));
                foreach (var s in secrets.OfType<JsonObject>()) h.Open("li").Element("code", ctx.L.Text(UiText.FromJson(s))).Close("li");
                h.Close("ul");
            }
            else h.Element("p", ctx.L.Text(text), ("class", "secret"));
        }
        h.Close("div");
        NodeMessages(h, node, null, ctx);
    }

    private static void Anchor(Html h, UiNode node, RenderContext ctx)
    {
        var a = node.Attributes;
        var href = Str(a, "href");
        if (!Html.SafeUrl(href)) return;
        var title = a["title"] is JsonObject t ? ctx.L.Text(UiText.FromJson(t)) : node.Label is { } l ? ctx.L.Text(l) : href!;
        h.Open("p", ("class", "node-a")).Element("a", title, ("href", href), ("id", Id(a, ctx))).Close("p");
    }

    private static void Script(Html h, UiNode node, RenderContext ctx)
    {
        var a = node.Attributes;
        var src = Str(a, "src");
        if (!Html.SafeUrl(src)) return;
        var nonce = Str(a, "nonce");
        if (nonce is { Length: > 0 } && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_'))
            ctx.ScriptNonces.Add(nonce);
        else nonce = null;
        h.Open("script", ("src", src), ("type", Str(a, "type") is { Length: > 0 } t ? t : null), ("id", Id(a, ctx)),
            ("integrity", Str(a, "integrity") is { Length: > 0 } i ? i : null),
            ("crossorigin", Str(a, "crossorigin") is { Length: > 0 } c ? c : null),
            ("referrerpolicy", Str(a, "referrerpolicy") is { Length: > 0 } r ? r : null),
            ("nonce", nonce), ("async", Bool(a, "async") ? "" : null)).Close("script");
    }

    private static void Division(Html h, UiNode node, RenderContext ctx)
    {
        var a = node.Attributes;
        var attrs = new List<(string, string?)> { ("id", Id(a, ctx)), ("class", Str(a, "class")) };
        if (a["data"] is JsonObject data)
            foreach (var (k, v) in data)
                if (k.Length > 0 && k.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    attrs.Add(("data-" + k.ToLowerInvariant(), ValueText(v)));
        h.Open("div", attrs.ToArray()).Close("div");
    }

    /// <summary>A node's messages, linked to its field by id; errors are alerts so screen readers announce them.</summary>
    private static void NodeMessages(Html h, UiNode node, string? id, RenderContext ctx)
    {
        if (node.Messages.Count == 0) return;
        h.Open("div", ("id", id), ("class", "node-messages"), ("aria-live", "polite"));
        foreach (var m in node.Messages)
            h.Element("p", ctx.L.Text(m), ("class", "msg msg-" + MessageType(m)), ("role", m.Type == "error" ? "alert" : null),
                ("data-message-id", m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        h.Close("div");
    }

    internal static string MessageType(UiText m) => m.Type is "error" or "success" ? m.Type : "info";

    private static string? Id(JsonObject a, RenderContext ctx) => Str(a, "id") is { Length: > 0 } id ? Html.Id(ctx.Prefix + id) : null;

    private static string Humanize(string name, RenderContext ctx)
    {
        var last = name.Split('.').Last();
        return last.Length == 0 ? ctx.L["field.unnamed"] : char.ToUpperInvariant(last[0]) + last[1..].Replace('_', ' ');
    }

    internal static string? Str(JsonObject a, string key) => JsonKit.AsString(a[key]);

    private static bool Bool(JsonObject a, string key) => a[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string? Num(JsonObject a, string key) =>
        a[key] is JsonValue v && v.TryGetValue<long>(out var n) && n > 0 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    internal static string? ValueText(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
        _ => value.ToJsonString(),
    };
}
