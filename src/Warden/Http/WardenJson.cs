using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Warden.Http;

/// <summary>JSON conventions shared by every endpoint: snake_case like Kratos, bodies parsed defensively.</summary>
public static class WardenJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 64,
    };

    /// <summary>Reads the request body as a JSON object; malformed or non-object bodies are a 400.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 },
                cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("The request body is not valid JSON.");
        }
        return node as JsonObject ?? throw ApiException.BadRequest("The request body must be a JSON object.");
    }

    /// <summary>Reads and binds the body to <typeparamref name="T"/>; type mismatches are a 400 naming the field.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted);
            return value ?? throw ApiException.BadRequest("The request body must not be empty.");
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" at {e.Path}";
            throw ApiException.BadRequest($"The request body is not valid{where}.");
        }
    }

    public const string ContentType = "application/json; charset=utf-8";

    public static IResult Json(object? value, int status = 200) =>
        Results.Json(value, Options, ContentType, status);
}
