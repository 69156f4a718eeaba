using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Warden.WebUi.Assets;

namespace Warden.WebUi;

/// <summary>
/// The UI's static assets, built once at startup. Names carry a hash of the content, so they are cached
/// forever (immutable) and a branding change yields a new URL; an ETag still answers revalidation.
/// </summary>
public sealed class UiAssets
{
    private readonly byte[] _css;
    private readonly string _etag;

    public UiAssets(WebUiOptions options)
    {
        var primary = options.Primary;
        var link = primary.DarkenUntil(Rgb.White, 4.5);
        var text = SiteCss.Build(primary.ToHex(), primary.Foreground.ToHex(), link.ToHex());
        _css = Encoding.UTF8.GetBytes(text);
        var hash = Convert.ToHexStringLower(SHA256.HashData(_css))[..16];
        CssPath = $"/ui/assets/warden.{hash}.css";
        _etag = $"\"{hash}\"";
    }

    public string CssPath { get; }

    public string CssText => Encoding.UTF8.GetString(_css);

    public async Task ServeAsync(HttpContext ctx, string file)
    {
        var r = ctx.Response;
        if ("/ui/assets/" + file != CssPath)
        {
            r.StatusCode = StatusCodes.Status404NotFound;
            r.Headers.CacheControl = "no-store";
            return;
        }
        r.Headers.CacheControl = "public, max-age=31536000, immutable";
        r.Headers.ETag = _etag;
        r.Headers.XContentTypeOptions = "nosniff";
        if (ctx.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Contains(_etag, StringComparison.Ordinal)))
        {
            r.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        r.ContentType = "text/css; charset=utf-8";
        r.ContentLength = _css.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method)) await r.Body.WriteAsync(_css, ctx.RequestAborted);
    }
}
