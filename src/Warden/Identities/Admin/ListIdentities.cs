using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Warden.Config;
using Warden.Http;

namespace Warden.Identities.Admin;

/// <summary>
/// listIdentities: keyset paging (<c>page_size</c>/<c>page_token</c>) with Kratos' <c>Link</c> headers,
/// legacy offset paging (<c>page</c>/<c>per_page</c>), and the identifier/ids/organization filters.
/// One page is one database round trip.
/// </summary>
internal static class ListIdentities
{
    public const int DefaultPageSize = 250;
    public const int MaxPageSize = 500;
    public const int MaxLegacyPageSize = 1000;
    public const int MaxIds = 500;

    public static async Task<IResult> HandleAsync(HttpRequest request, IdentityService service, IdentityJson json, BaseUrls urls)
    {
        var q = request.Query;
        var include = AdminRequest.IncludeCredential(request);
        if (q["consistency"].ToString() is not ("" or "strong" or "eventual"))
            throw ApiException.BadRequest("consistency must be strong or eventual.");
        var legacy = q.ContainsKey("page") || (q.ContainsKey("per_page") && !q.ContainsKey("page_size") && !q.ContainsKey("page_token"));
        var size = legacy
            ? Int(q, "per_page", DefaultPageSize, 1, MaxLegacyPageSize)
            : Int(q, "page_size", DefaultPageSize, 1, MaxPageSize);
        var page = legacy ? Int(q, "page", 0, 0, int.MaxValue / MaxLegacyPageSize) : 0;
        var identifier = Single(q, "credentials_identifier");
        var similar = Single(q, "preview_credentials_identifier_similar");
        var ids = Ids(q);
        var query = new IdentityQuery
        {
            // Kratos compat: the ids filter is not paginated; every requested identity comes back at once.
            PageSize = ids is { Count: > 0 } ? Math.Max(size, ids.Count) : size,
            After = legacy ? null : DecodeToken(Single(q, "page_token")),
            Offset = legacy ? page * size : null,
            Identifier = string.IsNullOrEmpty(identifier) ? null : IdentityService.NormalizeIdentifier(identifier),
            IdentifierPrefix = string.IsNullOrWhiteSpace(similar) ? null : IdentityService.NormalizeIdentifier(similar),
            Ids = ids,
            OrganizationId = Single(q, "organization_id") is { Length: > 0 } org ? AdminRequest.ParseId(org, "organization_id") : null,
            // Kratos compat: a list shows credentials only when asked for them or when searching by identifier.
            WithCredentials = include.Count > 0 || !string.IsNullOrEmpty(identifier),
        };
        var result = await service.ListAsync(query, request.HttpContext.RequestAborted);
        var links = new List<string>();
        if (legacy)
        {
            links.Add(Link(request, urls, "first", new() { ["page"] = "0", ["per_page"] = Num(size) }));
            if (result.HasMore) links.Add(Link(request, urls, "next", new() { ["page"] = Num(page + 1), ["per_page"] = Num(size) }));
            if (page > 0) links.Add(Link(request, urls, "prev", new() { ["page"] = Num(page - 1), ["per_page"] = Num(size) }));
        }
        else
        {
            links.Add(Link(request, urls, "first", new() { ["page_size"] = Num(size), ["page_token"] = EncodeToken(Guid.Empty) }));
            if (result.HasMore && result.Items.Count > 0)
                links.Add(Link(request, urls, "next", new() { ["page_size"] = Num(size), ["page_token"] = EncodeToken(result.Items[^1].Id) }));
        }
        // Kratos compat: one Link header per relation.
        request.HttpContext.Response.Headers.Link = links.ToArray();
        var array = new JsonArray(result.Items.Select(i => (JsonNode)json.ToJson(i, admin: true, includeCredentials: query.WithCredentials, include)).ToArray());
        return WardenJson.Json(array);
    }

    /// <summary>The request URL (admin base) with the paging parameters replaced, as <c>&lt;url&gt;; rel="…"</c>.</summary>
    private static string Link(HttpRequest request, BaseUrls urls, string rel, Dictionary<string, string> paging)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in request.Query)
        {
            if (key is "page" or "per_page" or "page_size" or "page_token") continue;
            foreach (var v in values) pairs.Add(new(key, v));
        }
        foreach (var (k, v) in paging) pairs.Add(new(k, v));
        var url = QueryHelpers.AddQueryString(urls.AdminUrl(request.Path.Value ?? "/admin/identities"), pairs);
        return $"<{url}>; rel=\"{rel}\"";
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Page tokens are opaque to clients: base64url of the last id of the previous page.</summary>
    public static string EncodeToken(Guid after) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["k"] = after.ToString() }.ToJsonString()))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static Guid? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            if (node?["k"] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var g))
                return g == Guid.Empty ? null : g;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            // fall through to the 400 below
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

    private static IReadOnlyList<Guid>? Ids(IQueryCollection q)
    {
        if (!q.TryGetValue("ids", out var values)) return null;
        var ids = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => AdminRequest.ParseId(v, "ids entry")).Distinct().ToList();
        if (ids.Count > MaxIds) throw ApiException.BadRequest($"At most {MaxIds} ids can be requested at once.");
        return ids;
    }
}
