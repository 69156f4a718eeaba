using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Warden.Http.Flows;

/// <summary>
/// Reads a flow submission into one JSON object whatever the encoding: a JSON body, an HTML form
/// (<c>application/x-www-form-urlencoded</c> or multipart) or, for the GET form of a submit endpoint, the
/// query string. Kratos compat: dotted keys (<c>traits.name.first</c>, <c>transient_payload.x</c>) are
/// expanded into nested objects in both JSON and form bodies, so <c>{"traits.email": "…"}</c> works.
/// Form values stay strings; the caller coerces them with the schema.
/// </summary>
public static class FlowBody
{
    private const int MaxDepth = 32;

    public static async Task<JsonObject> ReadAsync(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method))
            return FromPairs(request.Query.Select(q => new KeyValuePair<string, StringValues>(q.Key, q.Value)));
        if (RequestKind.WantsJsonBody(request))
            return Expand(await WardenJson.ReadObjectAsync(request));
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try { form = await request.ReadFormAsync(request.HttpContext.RequestAborted); }
            catch (InvalidDataException) { throw ApiException.BadRequest("The form body could not be read."); }
            return FromPairs(form);
        }
        if (request.ContentLength is null or 0 && string.IsNullOrEmpty(request.ContentType)) return new JsonObject();
        throw ApiException.BadRequest("The request body must be application/json or application/x-www-form-urlencoded.");
    }

    private static JsonObject FromPairs(IEnumerable<KeyValuePair<string, StringValues>> pairs)
    {
        var o = new JsonObject();
        // With a hidden "false" input before a checkbox, browsers send both values; the last one wins.
        foreach (var (key, values) in pairs)
            if (values.Count > 0) Set(o, key, JsonValue.Create(values[^1] ?? ""));
        return o;
    }

    /// <summary>Moves dotted top-level keys into nested objects (a nested value already present wins on conflict).</summary>
    private static JsonObject Expand(JsonObject body)
    {
        var result = new JsonObject();
        foreach (var (key, value) in body.ToList())
            if (!key.Contains('.')) { body.Remove(key); result[key] = value; }
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            Set(result, key, value);
        }
        return result;
    }

    private static void Set(JsonObject root, string dottedKey, JsonNode? value)
    {
        var parts = dottedKey.Split('.');
        if (parts.Length > MaxDepth || parts.Any(p => p.Length == 0))
            throw ApiException.BadRequest($"The field name '{Truncate(dottedKey)}' is not valid.");
        var current = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (current[parts[i]] is not JsonObject next)
            {
                if (current[parts[i]] is not null)
                    throw ApiException.BadRequest($"The field '{Truncate(dottedKey)}' conflicts with another field.");
                next = new JsonObject();
                current[parts[i]] = next;
            }
            current = next;
        }
        current[parts[^1]] = value;
    }

    private static string Truncate(string s) => s.Length > 64 ? s[..64] + "…" : s;
}
