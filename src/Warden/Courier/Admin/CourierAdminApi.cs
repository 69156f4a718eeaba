using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Warden.Config;
using Warden.Http;

namespace Warden.Courier.Admin;

/// <summary>listCourierMessages and getCourierMessage on the admin port (Kratos paths and operationIds).</summary>
internal static class CourierAdminApi
{
    public const int DefaultPageSize = 250;
    public const int MaxPageSize = 1000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin/courier/messages", ListAsync).WithName("listCourierMessages");
        routes.MapGet("/admin/courier/messages/{id}", GetAsync).WithName("getCourierMessage");
    }

    private static async Task<IResult> ListAsync(HttpRequest request, CourierStore store, BaseUrls urls)
    {
        var q = request.Query;
        var size = PageSize(q["page_size"].ToString());
        var status = q["status"].ToString() is { Length: > 0 } s ? s : null;
        if (status is not null && !MessageStatus.All.Contains(status))
            throw ApiException.BadRequest($"status must be one of queued, processing, sent, abandoned.");
        var recipient = q["recipient"].ToString() is { Length: > 0 } r ? r : null;
        var after = DecodeToken(q["page_token"].ToString());
        var (items, more) = await store.ListAsync(status, recipient, after, size, request.HttpContext.RequestAborted);
        var links = new List<string> { Link(request, urls, "first", size, null) };
        if (more && items.Count > 0) links.Add(Link(request, urls, "next", size, EncodeToken(items[^1].CreatedAt, items[^1].Id)));
        // Kratos compat: one Link header per relation.
        request.HttpContext.Response.Headers.Link = links.ToArray();
        return WardenJson.Json(new JsonArray(items.Select(m => (JsonNode)CourierJson.Message(m, null)).ToArray()));
    }

    private static async Task<IResult> GetAsync(string id, HttpRequest request, CourierStore store)
    {
        var messageId = ParseId(id);
        var ct = request.HttpContext.RequestAborted;
        var message = await store.GetAsync(messageId, ct) ?? throw new ApiException(404, "Unable to locate the resource");
        return WardenJson.Json(CourierJson.Message(message, await store.DispatchesAsync(messageId, ct)));
    }

    /// <summary>Kratos compat: a malformed id is a 400 whose message is the UUID parser's complaint.</summary>
    private static Guid ParseId(string raw)
    {
        if (raw.Length == 36 && Guid.TryParseExact(raw, "D", out var id)) return id;
        var shown = raw.Length > 64 ? raw[..64] : raw;
        throw raw.Length is 32 or 36 or 38 or 41 or 45
            ? new ApiException(400, $"uuid: incorrect UUID format in string \"{shown}\"")
            : new ApiException(400, $"uuid: incorrect UUID length {Encoding.UTF8.GetByteCount(raw)} in string \"{shown}\"");
    }

    private static int PageSize(string raw)
    {
        if (raw.Length == 0) return DefaultPageSize;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            throw ApiException.BadRequest("page_size must be an integer of at least 1.");
        // Kratos compat: sizes above the maximum are capped, not refused.
        return Math.Min(n, MaxPageSize);
    }

    private static string Link(HttpRequest request, BaseUrls urls, string rel, int size, string? token)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in request.Query)
        {
            if (key is "page_size" or "page_token") continue;
            foreach (var v in values) pairs.Add(new(key, v));
        }
        pairs.Add(new("page_size", size.ToString(CultureInfo.InvariantCulture)));
        if (token is not null) pairs.Add(new("page_token", token));
        return $"<{QueryHelpers.AddQueryString(urls.AdminUrl("admin/courier/messages"), pairs)}>; rel=\"{rel}\"";
    }

    /// <summary>Page tokens are opaque: base64url of the last row's (created_at, id).</summary>
    public static string EncodeToken(DateTime createdAt, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["t"] = createdAt.Ticks, ["i"] = id.ToString() }.ToJsonString()))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (DateTime, Guid)? DecodeToken(string token)
    {
        if (token.Length == 0) return null;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            if (node?["t"] is JsonValue t && t.TryGetValue<long>(out var ticks) && ticks >= 0 && ticks <= DateTime.MaxValue.Ticks
                && node["i"] is JsonValue i && i.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id))
                return (new DateTime(ticks, DateTimeKind.Utc), id);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            // fall through to the 400 below
        }
        throw ApiException.BadRequest("page_token is not a valid page token.");
    }
}
