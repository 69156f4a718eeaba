using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Warden.Http;

namespace Warden.Sessions.Api;

/// <summary>Paging (keyset <c>page_size</c>/<c>page_token</c>, legacy <c>page</c>/<c>per_page</c>), filters and expansion of the session listings.</summary>
internal sealed record SessionListRequest(int Size, Guid? After, int? Offset, int Page, bool Legacy)
{
    public const int DefaultPageSize = 250;
    public const int MaxLegacyPageSize = 1000;

    public static SessionListRequest Read(HttpRequest request, int maxPageSize)
    {
        var q = request.Query;
        var legacy = q.ContainsKey("page") || (q.ContainsKey("per_page") && !q.ContainsKey("page_size") && !q.ContainsKey("page_token"));
        if (legacy)
        {
            var size = Int(q, "per_page", DefaultPageSize, 1, MaxLegacyPageSize);
            var page = Int(q, "page", 0, 0, int.MaxValue / MaxLegacyPageSize);
            return new SessionListRequest(size, null, page * size, page, true);
        }
        return new SessionListRequest(Int(q, "page_size", DefaultPageSize, 1, maxPageSize), DecodeToken(Single(q, "page_token")), null, 0, false);
    }

    /// <summary>The <c>active</c> filter: absent means all sessions.</summary>
    public static bool? Active(HttpRequest request) => Single(request.Query, "active") switch
    {
        null or "" => null,
        var v when bool.TryParse(v, out var b) => b,
        var v => throw ApiException.BadRequest($"active must be true or false, not \"{Clip(v)}\"."),
    };

    /// <summary><c>expand</c>, repeated or comma-separated; Kratos' docs spell the values capitalised, so case is ignored.</summary>
    public static (bool Identity, bool Devices) Expand(HttpRequest request)
    {
        bool identity = false, devices = false;
        foreach (var value in request.Query["expand"])
        foreach (var item in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Equals("identity", StringComparison.OrdinalIgnoreCase)) identity = true;
            else if (item.Equals("devices", StringComparison.OrdinalIgnoreCase)) devices = true;
            else throw ApiException.BadRequest($"expand \"{Clip(item)}\" is not one of identity, devices.");
        }
        return (identity, devices);
    }

    public static Guid ParseId(string raw, string name = "id") =>
        raw.Length == 36 && Guid.TryParse(raw, out var id) ? id : throw ApiException.BadRequest($"The {name} \"{Clip(raw)}\" is not a valid UUID.");

    /// <summary>Kratos compat: one <c>Link</c> header per relation, each the request URL with the paging parameters replaced.</summary>
    public void WriteLinks(HttpContext context, string baseUrl, SessionPage page)
    {
        var links = new List<string>();
        if (Legacy)
        {
            links.Add(Link(context.Request, baseUrl, "first", ("page", "0"), ("per_page", Num(Size))));
            if (page.HasMore) links.Add(Link(context.Request, baseUrl, "next", ("page", Num(Page + 1)), ("per_page", Num(Size))));
            if (Page > 0) links.Add(Link(context.Request, baseUrl, "prev", ("page", Num(Page - 1)), ("per_page", Num(Size))));
        }
        else
        {
            links.Add(Link(context.Request, baseUrl, "first", ("page_size", Num(Size)), ("page_token", EncodeToken(Guid.Empty))));
            if (page.HasMore && page.Items.Count > 0)
                links.Add(Link(context.Request, baseUrl, "next", ("page_size", Num(Size)), ("page_token", EncodeToken(page.Items[^1].Id))));
        }
        context.Response.Headers.Link = links.ToArray();
    }

    private static string Link(HttpRequest request, string baseUrl, string rel, params (string Key, string Value)[] paging)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in request.Query)
        {
            if (key is "page" or "per_page" or "page_size" or "page_token") continue;
            foreach (var v in values) pairs.Add(new(key, v));
        }
        foreach (var (k, v) in paging) pairs.Add(new(k, v));
        return $"<{QueryHelpers.AddQueryString(baseUrl, pairs)}>; rel=\"{rel}\"";
    }

    /// <summary>Page tokens are opaque to clients: base64url of the last session id of the previous page.</summary>
    public static string EncodeToken(Guid after) =>
        Base64UrlTextEncoder.Encode(Encoding.UTF8.GetBytes(new JsonObject { ["k"] = after.ToString("D") }.ToJsonString()));

    public static Guid? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        if (token.Length <= 256)
        {
            try
            {
                var node = JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlTextEncoder.Decode(token)));
                if (node is JsonObject o && o["k"] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var g))
                    return g == Guid.Empty ? null : g;
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
            {
                // reported below
            }
        }
        throw ApiException.BadRequest("page_token is not a valid page token.");
    }

    private static int Int(IQueryCollection q, string key, int fallback, int min, int max)
    {
        var raw = Single(q, key);
        if (string.IsNullOrEmpty(raw)) return fallback;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min)
            throw ApiException.BadRequest($"{key} must be an integer of at least {min}.");
        // Kratos compat: sizes above the maximum are capped, not refused.
        return Math.Min(n, max);
    }

    private static string? Single(IQueryCollection q, string key) => q.TryGetValue(key, out var v) ? v.ToString() : null;

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Clip(string s) => s.Length > 64 ? s[..64] + "…" : s;
}
