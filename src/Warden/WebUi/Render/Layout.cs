using Microsoft.AspNetCore.Http;
using Warden.Ui;

namespace Warden.WebUi.Render;

/// <summary>One page to send: title, body markup, page-level messages and what its CSP must allow.</summary>
public sealed class Page
{
    public required string Title { get; init; }
    public required UiLocale L { get; init; }
    public string Body { get; init; } = "";
    public IReadOnlyList<UiText> Messages { get; init; } = [];
    public IReadOnlyList<string> ScriptNonces { get; init; } = [];
    public int Status { get; init; } = 200;
}

/// <summary>
/// The page shell shared by every UI page: skip link, branded header, one h1, the page messages in a live
/// region (errors as an alert), and the body. Sent with a strict CSP, no caching, and no framing.
/// </summary>
public sealed class Layout(WebUiOptions options, UiAssets assets)
{
    public async Task WriteAsync(HttpContext ctx, Page page)
    {
        var h = new Html();
        h.Raw("<!doctype html>");
        h.Open("html", ("lang", page.L.Language));
        h.Open("head");
        h.Void("meta", ("charset", "utf-8"));
        h.Void("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"));
        h.Void("meta", ("name", "referrer"), ("content", "no-referrer"));
        h.Element("title", $"{page.Title} · {options.ProductName}");
        h.Void("link", ("rel", "stylesheet"), ("href", assets.CssPath));
        // An empty icon: otherwise every browser asks for /favicon.ico, which Warden does not serve.
        h.Void("link", ("rel", "icon"), ("href", "data:,"));
        h.Close("head");
        h.Open("body");
        h.Element("a", page.L["skip"], ("class", "skip"), ("href", "#main"));
        h.Open("header", ("class", "brand"));
        h.Open("a", ("href", "/"), ("class", "brand-link"));
        if (options.LogoUrl is { } logo) h.Void("img", ("src", logo), ("alt", ""), ("class", "logo"), ("height", "32"));
        h.Element("span", options.ProductName, ("class", "product"));
        h.Close("a").Close("header");
        h.Open("main", ("id", "main"), ("class", "card"), ("tabindex", "-1"));
        h.Element("h1", page.Title);
        WriteMessages(h, page.Messages, page.L);
        h.Raw(page.Body);
        h.Close("main");
        h.Close("body").Close("html");

        var r = ctx.Response;
        r.StatusCode = page.Status;
        r.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.Apply(r, options, page.ScriptNonces);
        await r.WriteAsync(h.ToString(), ctx.RequestAborted);
    }

    /// <summary>Flow-level messages: errors in an assertive alert region, the rest in a polite status region.</summary>
    public static void WriteMessages(Html h, IReadOnlyList<UiText> messages, UiLocale l)
    {
        var errors = messages.Where(m => m.Type == "error").ToList();
        var other = messages.Where(m => m.Type != "error").ToList();
        // The regions exist even when empty: live regions must be in the page before content changes.
        h.Open("div", ("class", "messages"), ("role", "alert"), ("aria-live", "assertive"), ("id", "flow-errors"));
        foreach (var m in errors) Message(h, m, l);
        h.Close("div");
        h.Open("div", ("class", "messages"), ("role", "status"), ("aria-live", "polite"), ("id", "flow-messages"));
        foreach (var m in other) Message(h, m, l);
        h.Close("div");
    }

    private static void Message(Html h, UiText m, UiLocale l) =>
        h.Element("p", l.Text(m), ("class", "msg msg-" + NodeRenderer.MessageType(m)),
            ("data-message-id", m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
