using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Warden.Ui;
using Warden.WebUi;
using Warden.WebUi.Render;
using Xunit;

namespace Warden.BrowserTests.Rendering;

/// <summary>
/// The node renderer and form layout, parsed back with AngleSharp (no browser): every Kratos node type,
/// labels bound to inputs, messages bound to fields, secrets never echoed, hostile values encoded.
/// </summary>
public sealed class NodeRenderingTests
{
    private static readonly UiLocale En = UiCatalog.LoadEmbedded().For("en");

    private static (IDocument Doc, RenderContext Ctx) Render(UiContainer ui, string flowType = "login")
    {
        var ctx = new RenderContext(En, flowType);
        var h = new Html();
        FormRenderer.Render(h, ui, ctx);
        return (new HtmlParser().ParseDocument("<!doctype html><body>" + h + "</body>"), ctx);
    }

    private static UiContainer Ui(params UiNode[] nodes)
    {
        var ui = new UiContainer { Action = "http://127.0.0.1:4433/self-service/login?flow=1", Method = "POST" };
        ui.Nodes.AddRange(nodes);
        return ui;
    }

    private static UiNode Node(string json) => UiNode.FromJson(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void Inputs_have_bound_labels_autocomplete_and_no_echoed_secret()
    {
        var ui = Ui(
            UiNode.Input(UiGroups.Default, "csrf_token", "hidden", value: "tok"),
            UiNode.Input(UiGroups.Default, "identifier", "text", value: "ada@example.org", required: true, label: Messages.LabelId()),
            UiNode.Input(UiGroups.Password, "password", "password", value: "hunter2!", required: true, label: Messages.LabelPassword()),
            UiNode.Input(UiGroups.Password, "method", "submit", value: "password", label: Messages.LoginWithPassword()));
        var (doc, _) = Render(ui);
        var form = doc.QuerySelector("form")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal(ui.Action, form.GetAttribute("action"));
        Assert.Equal("tok", doc.QuerySelector("input[type=hidden][name=csrf_token]")!.GetAttribute("value"));
        var id = doc.QuerySelector("input[name=identifier]")!;
        Assert.Equal("ada@example.org", id.GetAttribute("value"));
        Assert.Equal("username", id.GetAttribute("autocomplete"));
        Assert.True(id.HasAttribute("required"));
        Assert.Equal("ID", doc.QuerySelector($"label[for={id.Id}]")!.TextContent.Replace("*", "").Trim());
        var pw = doc.QuerySelector("input[name=password]")!;
        Assert.False(pw.HasAttribute("value"));
        Assert.Equal("current-password", pw.GetAttribute("autocomplete"));
        var button = doc.QuerySelector("button[type=submit]")!;
        Assert.Equal("method", button.GetAttribute("name"));
        Assert.Equal("password", button.GetAttribute("value"));
        Assert.Equal("Sign in with password", button.TextContent);
        Assert.DoesNotContain("hunter2", doc.Body!.InnerHtml);
    }

    [Fact]
    public void Field_errors_are_described_marked_invalid_and_focused()
    {
        var email = UiNode.Input(UiGroups.Password, "traits.email", "email", required: true, label: Messages.LabelEmail());
        email.Messages.Add(Messages.Required("email"));
        var pw = UiNode.Input(UiGroups.Password, "password", "password", label: Messages.LabelPassword());
        pw.Messages.Add(Messages.PasswordMinLength(8, 3));
        var (doc, ctx) = Render(Ui(email, pw), "registration");
        var input = doc.QuerySelector("input[name='traits.email']")!;
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        Assert.True(input.HasAttribute("autofocus"));
        var box = doc.GetElementById(input.GetAttribute("aria-describedby")!)!;
        Assert.Equal("4000002", box.QuerySelector(".msg-error")!.GetAttribute("data-message-id"));
        Assert.Equal("alert", box.QuerySelector(".msg-error")!.GetAttribute("role"));
        // Only the first invalid field takes focus.
        Assert.False(doc.QuerySelector("input[name=password]")!.HasAttribute("autofocus"));
        Assert.Equal("new-password", doc.QuerySelector("input[name=password]")!.GetAttribute("autocomplete"));
        Assert.True(ctx.FocusedError);
    }

    [Fact]
    public void Every_node_type_renders()
    {
        var ui = Ui(
            Node("""{"type":"img","group":"totp","attributes":{"src":"data:image/png;base64,iVBORw0KGgo=","id":"totp_qr","width":256,"height":256,"node_type":"img"},"messages":[],"meta":{"label":{"id":1050005,"text":"Authenticator app QR code","type":"info"}}}"""),
            Node("""{"type":"text","group":"totp","attributes":{"text":{"id":1050006,"text":"JBSWY3DPEHPK3PXP","type":"info"},"id":"totp_secret_key","node_type":"text"},"messages":[],"meta":{"label":{"id":1050017,"text":"This is your authenticator app secret.","type":"info"}}}"""),
            Node("""{"type":"text","group":"lookup_secret","attributes":{"text":{"id":1050015,"text":"abcd-efgh, ijkl-mnop","type":"info","context":{"secrets":[{"id":1050009,"text":"abcd-efgh","type":"info"},{"id":1050009,"text":"ijkl-mnop","type":"info"}]}},"id":"lookup_secret_codes","node_type":"text"},"messages":[],"meta":{}}"""),
            Node("""{"type":"a","group":"default","attributes":{"href":"https://example.org/help","title":{"id":1,"text":"Help","type":"info"},"id":"help","node_type":"a"},"messages":[],"meta":{}}"""),
            Node("""{"type":"script","group":"webauthn","attributes":{"src":"/.well-known/ory/webauthn.js","async":true,"referrerpolicy":"no-referrer","crossorigin":"anonymous","integrity":"sha512-abc","type":"text/javascript","id":"webauthn_script","nonce":"n0nce","node_type":"script"},"messages":[],"meta":{}}"""),
            Node("""{"type":"input","group":"webauthn","attributes":{"name":"webauthn_register_trigger","type":"button","value":"","onclickTrigger":"oryWebAuthnRegistration","disabled":false,"node_type":"input"},"messages":[],"meta":{"label":{"id":1050012,"text":"Add security key","type":"info"}}}"""),
            Node("""{"type":"div","group":"captcha","attributes":{"id":"captcha","class":"cf-turnstile","data":{"sitekey":"x1"},"node_type":"div"},"messages":[],"meta":{}}"""),
            Node("""{"type":"input","group":"profile","attributes":{"name":"traits.newsletter","type":"checkbox","value":true,"node_type":"input"},"messages":[],"meta":{"label":{"id":1070002,"text":"News","type":"info"}}}"""),
            Node("""{"type":"input","group":"profile","attributes":{"name":"traits.plan","type":"text","value":"pro","options":[{"value":"free"},{"value":"pro"}],"node_type":"input"},"messages":[],"meta":{"label":{"id":1070002,"text":"Plan","type":"info"}}}"""),
            Node("""{"type":"hologram","group":"default","attributes":{"id":"x","node_type":"hologram"},"messages":[],"meta":{}}"""));
        var (doc, ctx) = Render(ui, "settings");
        var img = doc.QuerySelector("img")!;
        Assert.StartsWith("data:image/png;base64,", img.GetAttribute("src"));
        Assert.Equal("Authenticator app QR code", img.GetAttribute("alt"));
        Assert.Equal("256", img.GetAttribute("width"));
        Assert.Equal("JBSWY3DPEHPK3PXP", doc.QuerySelector(".secret")!.TextContent);
        Assert.Equal(["abcd-efgh", "ijkl-mnop"], doc.QuerySelectorAll(".codes code").Select(c => c.TextContent));
        Assert.Equal("Help", doc.QuerySelector("a[href='https://example.org/help']")!.TextContent);
        var script = doc.QuerySelector("script")!;
        Assert.Equal("/.well-known/ory/webauthn.js", script.GetAttribute("src"));
        Assert.Equal("n0nce", script.GetAttribute("nonce"));
        Assert.Equal(["n0nce"], ctx.ScriptNonces);
        var trigger = doc.QuerySelector("button[type=button]")!;
        Assert.Equal("oryWebAuthnRegistration", trigger.GetAttribute("data-trigger"));
        Assert.Equal("Add security key", trigger.TextContent);
        Assert.Equal("x1", doc.QuerySelector("div.cf-turnstile")!.GetAttribute("data-sitekey"));
        var box = doc.QuerySelector("input[type=checkbox]")!;
        Assert.True(box.HasAttribute("checked"));
        Assert.Equal("News", doc.QuerySelector($"label[for={box.Id}]")!.TextContent);
        var select = doc.QuerySelector("select[name='traits.plan']")!;
        Assert.Equal("pro", select.QuerySelector("option[selected]")!.GetAttribute("value"));
        Assert.NotNull(doc.QuerySelector($"label[for={select.Id}]"));
        Assert.Null(doc.QuerySelector("hologram"));
        // Several methods: one form each, each with its own heading.
        Assert.True(doc.QuerySelectorAll("form").Length >= 5);
    }

    [Fact]
    public void Several_methods_get_separate_forms_sharing_the_default_nodes()
    {
        var ui = Ui(
            UiNode.Input(UiGroups.Default, "csrf_token", "hidden", value: "tok"),
            UiNode.Input(UiGroups.Default, "identifier", "text", required: true, label: Messages.LabelId()),
            UiNode.Input(UiGroups.Password, "password", "password", required: true, label: Messages.LabelPassword()),
            UiNode.Input(UiGroups.Password, "method", "submit", value: "password", label: Messages.LoginWithPassword()),
            UiNode.Input("code", "method", "submit", value: "code", label: Messages.LoginSubmit()),
            UiNode.Input(UiGroups.Oidc, "provider", "submit", value: "github", label: new UiText(1010016, "Sign in with github", "info")));
        var (doc, _) = Render(ui);
        var forms = doc.QuerySelectorAll("form");
        Assert.Equal(["password", "code", "oidc"], forms.Select(f => f.GetAttribute("data-group")));
        Assert.All(forms, f => Assert.Equal("tok", f.QuerySelector("input[name=csrf_token]")!.GetAttribute("value")));
        // The identifier goes with password and code, not with the provider button; ids stay unique.
        Assert.NotNull(forms[0].QuerySelector("input[name=identifier]"));
        Assert.NotNull(forms[1].QuerySelector("input[name=identifier]"));
        Assert.Null(forms[2].QuerySelector("input[name=identifier]"));
        var ids = doc.QuerySelectorAll("[id]").Select(e => e.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("Password", doc.QuerySelector("section.method-password h2")!.TextContent);
    }

    [Fact]
    public void Hostile_values_are_encoded_and_unsafe_urls_dropped()
    {
        var evil = "\"><script>alert(1)</script>";
        var ui = Ui(
            UiNode.Input(UiGroups.Default, "identifier", "text", value: evil, label: new UiText(1070002, evil, "info")),
            Node("""{"type":"a","group":"default","attributes":{"href":"javascript:alert(1)","title":{"id":1,"text":"x","type":"info"},"id":"bad","node_type":"a"},"messages":[],"meta":{}}"""),
            Node("""{"type":"img","group":"default","attributes":{"src":"javascript:alert(1)","id":"bad2","width":1,"height":1,"node_type":"img"},"messages":[],"meta":{}}"""),
            Node("""{"type":"script","group":"default","attributes":{"src":"/x.js","nonce":"' unsafe-inline","id":"s","node_type":"script","async":false,"referrerpolicy":"","crossorigin":"","integrity":"","type":""},"messages":[],"meta":{}}"""));
        ui.Action = "javascript:alert(1)";
        var (doc, ctx) = Render(ui);
        Assert.Empty(doc.QuerySelectorAll("script:not([src='/x.js'])"));
        Assert.Equal(evil, doc.QuerySelector("input[name=identifier]")!.GetAttribute("value"));
        Assert.Null(doc.QuerySelector("a[href^='javascript']"));
        Assert.Null(doc.QuerySelector("img"));
        Assert.Equal("", doc.QuerySelector("form")!.GetAttribute("action"));
        Assert.Empty(ctx.ScriptNonces);
        Assert.False(doc.QuerySelector("script")!.HasAttribute("nonce"));
    }
}
