using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Ui;
using Warden.WebUi.Render;

namespace Warden.WebUi.Pages;

/// <summary><c>/ui/error?id=</c>: shows a stored self-service error fetched from <c>/self-service/errors</c>.</summary>
public sealed class ErrorPage(WardenApi api, Layout layout, UiCatalog catalog)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var l = catalog.For(ctx.Request.Headers.AcceptLanguage);
        var id = ctx.Request.Query["id"].ToString();
        ApiAnswer? answer = null;
        if (id.Length is > 0 and <= 100)
            answer = await api.GetAsync(ctx, "/self-service/errors?id=" + Uri.EscapeDataString(id));
        if (answer is { Ok: true, Body: JsonObject stored } && stored["error"] is JsonObject error)
        {
            await WriteAsync(ctx, layout, l, error, stored["id"]?.ToString(), 200);
            return;
        }
        await layout.WriteAsync(ctx, new Page
        {
            Title = l["page.error"], L = l, Status = 404,
            Messages = [new UiText(0, l["error.missing"], "error")],
            Body = AgainLink(l),
        });
    }

    /// <summary>An error answer the UI got from the API itself (no stored error to link to).</summary>
    public static Task WriteApiErrorAsync(HttpContext ctx, Layout layout, UiLocale l, ApiAnswer answer) =>
        answer.Body?["error"] is JsonObject e
            ? WriteAsync(ctx, layout, l, e, null, answer.Status is >= 400 and < 600 ? answer.Status : 500)
            : WriteAsync(ctx, layout, l, new JsonObject { ["message"] = "The server could not be reached." }, null, 502);

    private static Task WriteAsync(HttpContext ctx, Layout layout, UiLocale l, JsonObject error, string? reference, int status)
    {
        var message = Json.Str(error["message"]) ?? "";
        var reason = Json.Str(error["reason"]);
        var h = new Html();
        if (reason is { Length: > 0 } && reason != message) h.Element("p", reason);
        if (reference is not null)
            h.Open("p", ("class", "hint")).Text(l["error.reference"] + ": ").Element("code", reference).Close("p");
        h.Raw(AgainLink(l));
        return layout.WriteAsync(ctx, new Page
        {
            Title = l["page.error"], L = l, Status = status,
            Messages = [new UiText(0, message, "error")],
            Body = h.ToString(),
        });
    }

    private static string AgainLink(UiLocale l) =>
        new Html().Open("ul", ("class", "links")).Open("li").Element("a", l["error.again"], ("href", "/")).Close("li").Close("ul").ToString();
}

internal static class NotFoundPage
{
    public static Task WriteAsync(HttpContext ctx, Layout layout, UiLocale l) => layout.WriteAsync(ctx, new Page
    {
        Title = l["page.notfound"], L = l, Status = 404,
        Body = new Html().Element("p", l["notfound.text"]).Open("ul", ("class", "links")).Open("li")
            .Element("a", l["error.again"], ("href", "/")).Close("li").Close("ul").ToString(),
    });
}
