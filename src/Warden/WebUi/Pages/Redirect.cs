using System.Net;
using Microsoft.AspNetCore.Http;

namespace Warden.WebUi.Pages;

internal static class Redirect
{
    /// <summary>303 See Other: the browser follows with GET, whatever it sent.</summary>
    public static async Task SeeOtherAsync(HttpContext ctx, string location)
    {
        ctx.Response.StatusCode = StatusCodes.Status303SeeOther;
        ctx.Response.Headers.Location = location;
        ctx.Response.Headers.CacheControl = "private, no-cache, no-store, must-revalidate";
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync($"<a href=\"{WebUtility.HtmlEncode(location)}\">See Other</a>.\n", ctx.RequestAborted);
    }
}
