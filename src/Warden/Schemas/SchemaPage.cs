using System.Globalization;
using Microsoft.AspNetCore.Http;
using Warden.Http;

namespace Warden.Schemas;

/// <summary>
/// Paging for <c>GET /schemas</c>. Kratos compat: both the token style (<c>page_size</c>/<c>page_token</c>,
/// size 1–500) and the deprecated numbered style (<c>page</c> from 0, <c>per_page</c> 1–1000) are accepted;
/// the default is 250 per page. The token is an offset, opaque to clients, who follow the <c>Link</c> header.
/// </summary>
internal sealed record SchemaPage(int Offset, int Size, bool TokenStyle)
{
    public const int DefaultSize = 250;

    public static SchemaPage FromQuery(IQueryCollection query)
    {
        if (query.ContainsKey("page_size") || query.ContainsKey("page_token"))
        {
            var size = Number(query, "page_size", DefaultSize, 1, 500);
            var offset = Number(query, "page_token", 0, 0, int.MaxValue);
            return new SchemaPage(offset, size, true);
        }
        var perPage = Number(query, "per_page", DefaultSize, 1, 1000);
        var page = Number(query, "page", 0, 0, int.MaxValue / 1000);
        return new SchemaPage(page * perPage, perPage, false);
    }

    /// <summary>Out-of-range sizes are clamped like Kratos does; text that is not a number is a 400.</summary>
    private static int Number(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var raw = query[name].ToString();
        if (raw.Length == 0) return fallback;
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw ApiException.BadRequest($"The query parameter {name} must be an integer.");
        return (int)Math.Clamp(value, min, max);
    }

    public string Links(string url, int total)
    {
        var links = new List<string> { Link(url, 0, "first") };
        if (Offset + Size < total) links.Add(Link(url, Offset + Size, "next"));
        if (!TokenStyle && Offset > 0) links.Add(Link(url, Math.Max(0, Offset - Size), "prev"));
        if (!TokenStyle && total > 0) links.Add(Link(url, (total - 1) / Size * Size, "last"));
        return string.Join(",", links);
    }

    private string Link(string url, int offset, string rel)
    {
        var q = TokenStyle
            ? $"page_size={Size}&page_token={offset}"
            : $"page={offset / Size}&per_page={Size}";
        return $"<{url}?{q}>; rel=\"{rel}\"";
    }
}
