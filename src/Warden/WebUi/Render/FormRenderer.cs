using Warden.Ui;

namespace Warden.WebUi.Render;

/// <summary>
/// Lays a flow's <c>ui</c> out as forms posting to <c>ui.action</c> with <c>ui.method</c>. Nodes are
/// grouped by method: with one method everything is one form in node order; with several (settings:
/// profile + password + totp, login: password + oidc) each method gets its own form with the shared
/// <c>default</c> nodes (CSRF token, identifier), so one method's required fields never block another.
/// </summary>
public static class FormRenderer
{
    // Methods whose forms carry no visible default nodes: a provider button needs no identifier field.
    private static readonly HashSet<string> NoSharedFields = [UiGroups.Oidc, "saml", "lookup_secret", "totp", "webauthn", "passkey"];

    public static void Render(Html h, UiContainer ui, RenderContext ctx)
    {
        var groups = ui.Nodes.Select(n => n.Group).Where(g => g != UiGroups.Default).Distinct().ToList();
        if (groups.Count <= 1)
        {
            Form(h, ui, ui.Nodes, groups.FirstOrDefault() ?? UiGroups.Default, ctx, heading: false);
            return;
        }
        foreach (var group in groups)
        {
            var own = ui.Nodes.Where(n => n.Group == group).ToList();
            var shared = ui.Nodes.Where(n => n.Group == UiGroups.Default &&
                                              (IsHidden(n) || !NoSharedFields.Contains(group)) &&
                                              own.All(o => o.Name != n.Name || n.Name.Length == 0));
            // Shared nodes keep their place: hidden ones first, then visible fields before the method's own.
            var nodes = shared.Concat(own).ToList();
            ctx.Prefix = group + "-";
            Form(h, ui, nodes, group, ctx, heading: true);
        }
        ctx.Prefix = "";
    }

    private static void Form(Html h, UiContainer ui, List<UiNode> nodes, string group, RenderContext ctx, bool heading)
    {
        var method = string.Equals(ui.Method, "GET", StringComparison.OrdinalIgnoreCase) ? "get" : "post";
        var headingId = heading ? Html.Id("h-" + group) : null;
        h.Open("section", ("class", "method method-" + Html.Id(group)), ("aria-labelledby", headingId));
        if (heading)
        {
            var key = "group." + group;
            h.Element("h2", ctx.L.Has(key) ? ctx.L[key] : group, ("id", headingId));
        }
        h.Open("form", ("action", Html.SafeUrl(ui.Action) ? ui.Action : ""), ("method", method),
            ("data-group", group));
        foreach (var node in nodes) NodeRenderer.Render(h, node, ctx);
        h.Close("form").Close("section");
    }

    private static bool IsHidden(UiNode n) =>
        n.Type == "input" && NodeRenderer.Str(n.Attributes, "type") == "hidden";
}
