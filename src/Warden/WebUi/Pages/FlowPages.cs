using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Config;
using Warden.Ui;
using Warden.WebUi.Render;

namespace Warden.WebUi.Pages;

/// <summary>
/// The flow pages (login, registration, settings, recovery, verification). One handler for all: a page
/// knows only its flow type and that type's two endpoints, <c>/self-service/&lt;type&gt;/browser</c> to start
/// and <c>/self-service/&lt;type&gt;/flows?id=</c> to fetch; everything shown comes from the flow's
/// <c>ui</c>, so flows and methods added later render without changes here.
/// </summary>
public sealed class FlowPages(WardenApi api, Layout layout, UiCatalog catalog, WardenConfig config)
{
    public static readonly string[] Types = ["login", "registration", "settings", "recovery", "verification"];

    public async Task HandleAsync(HttpContext ctx, string type)
    {
        var l = catalog.For(ctx.Request.Headers.AcceptLanguage);
        var id = ctx.Request.Query["flow"].ToString();
        if (id.Length == 0 || !Guid.TryParse(id, out var flowId))
        {
            await RestartAsync(ctx, type, null);
            return;
        }
        var answer = await api.GetAsync(ctx, $"/self-service/{type}/flows?id={flowId}");
        if (answer.Ok && answer.Body is JsonObject flow)
        {
            await RenderAsync(ctx, type, flow, l);
            return;
        }
        switch (answer.Status)
        {
            // Unknown, used or expired flow: start a new one, as the seeds describe (410 keeps return_to).
            case 400 or 404 or 410 when HasError(answer):
                await RestartAsync(ctx, type, Json.Str(answer.Body?["error"]?["details"]?["return_to"]));
                return;
            // No session for settings: starting a new flow sends the browser to sign in.
            case 401:
                await RestartAsync(ctx, type, null);
                return;
            case 404:
                // The flow type is not implemented by this server at all.
                await NotFoundPage.WriteAsync(ctx, layout, l);
                return;
            default:
                // A CSRF mismatch on a fresh flow means the browser drops our cookies (e.g. Secure cookies over
                // plain http without --dev): restarting would loop, so explain instead.
                await ErrorPage.WriteApiErrorAsync(ctx, layout, l, answer);
                return;
        }
    }

    private static bool HasError(ApiAnswer a) => a.Body is JsonObject o && o["error"] is JsonObject;

    private static Task RestartAsync(HttpContext ctx, string type, string? returnTo)
    {
        var query = QueryString.Empty;
        foreach (var (key, values) in ctx.Request.Query)
            if (key != "flow") foreach (var v in values) query = query.Add(key, v ?? "");
        if (returnTo is { Length: > 0 } && !ctx.Request.Query.ContainsKey("return_to")) query = query.Add("return_to", returnTo);
        return Redirect.SeeOtherAsync(ctx, $"/self-service/{type}/browser{query}");
    }

    private async Task RenderAsync(HttpContext ctx, string type, JsonObject flow, UiLocale l)
    {
        var ui = flow["ui"] is JsonObject u ? UiContainer.FromJson(u) : new UiContainer();
        var rc = new RenderContext(l, type);
        var h = new Html();
        FormRenderer.Render(h, ui, rc);
        var refresh = type == "login" && Json.True(flow["refresh"]);
        var title = l[refresh ? "page.login.refresh" : "page." + type];
        Links(h, type, flow, l, title);
        var messages = ui.Messages.Concat(rc.HiddenMessages).ToList();
        if (rc.FocusedError && messages.All(m => m.Type != "error"))
            messages.Insert(0, new UiText(0, l["problems"], "error"));
        await layout.WriteAsync(ctx, new Page
        {
            Title = title,
            L = l,
            Body = h.ToString(),
            Messages = messages,
            ScriptNonces = rc.ScriptNonces,
        });
    }

    /// <summary>Where to go next from this page; only flows that are enabled are linked.</summary>
    private void Links(Html h, string type, JsonObject flow, UiLocale l, string title)
    {
        var links = new List<(string Href, string Text)>();
        var returnTo = Json.Str(flow["return_to"]);
        var suffix = returnTo is { Length: > 0 } ? "?return_to=" + Uri.EscapeDataString(returnTo) : "";
        switch (type)
        {
            case "login" when Json.True(flow["refresh"]):
                links.Add(("/ui/welcome", l["link.welcome"]));
                break;
            case "login":
                if (config.Bool("selfservice.flows.registration.enabled", true)) links.Add(("/ui/registration" + suffix, l["link.registration"]));
                if (config.Bool("selfservice.flows.recovery.enabled")) links.Add(("/ui/recovery" + suffix, l["link.recovery"]));
                if (config.Bool("selfservice.flows.verification.enabled")) links.Add(("/ui/verification", l["link.verification"]));
                break;
            case "registration":
            case "recovery":
                links.Add(("/ui/login" + suffix, l["link.login"]));
                break;
            case "settings":
            case "verification":
                links.Add(("/ui/welcome", l["link.welcome"]));
                break;
        }
        if (links.Count == 0) return;
        h.Open("nav", ("aria-label", title)).Open("ul", ("class", "links"));
        foreach (var (href, text) in links) h.Open("li").Element("a", text, ("href", href)).Close("li");
        h.Close("ul").Close("nav");
    }
}
