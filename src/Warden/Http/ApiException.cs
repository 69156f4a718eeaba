using System.Text.Json.Nodes;

namespace Warden.Http;

/// <summary>
/// An error that reaches the client in the Kratos error shape
/// (<c>{"error":{"id","code","status","reason","message","details"}}</c>).
/// Throw it from anywhere below an endpoint; <see cref="ErrorMiddleware"/> renders it.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string message, string? reason = null, string? id = null, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Id = id;
        Details = details;
    }

    public int Code { get; }
    public string? Reason { get; }
    public string? Id { get; }
    public JsonObject? Details { get; }
    /// <summary>Sent as the Retry-After header (seconds) when set: the condition is expected to pass.</summary>
    public int? RetryAfterSeconds { get; init; }

    // Generic messages are ours; the ids and codes are Kratos' because clients branch on them.
    public static ApiException BadRequest(string reason, string? id = null, JsonObject? details = null) =>
        new(400, "The request was malformed or contained invalid parameters", reason, id, details);

    public static ApiException NotFound(string reason = "The requested resource does not exist.") =>
        new(404, "The requested resource could not be found", reason);

    public static ApiException Conflict(string reason, string? id = null) =>
        new(409, "A resource with this value exists already", reason, id);

    public static ApiException Unauthorized(string reason, string? id = null) =>
        new(401, "The request could not be authorized", reason, id);

    public static ApiException Forbidden(string reason, string? id = null, JsonObject? details = null) =>
        new(403, "The requested action was forbidden", reason, id, details);

    public static ApiException Gone(string reason, string? id = null, JsonObject? details = null) =>
        new(410, "The requested resource is no longer available", reason, id, details);

    public static ApiException PayloadTooLarge(string reason) =>
        new(413, "The request body is too large", reason);

    public static ApiException UnprocessableEntity(string reason, string? id = null, JsonObject? details = null) =>
        new(422, "The request could not be processed", reason, id, details);

    public static ApiException Unavailable(string reason, int retryAfterSeconds = 1) =>
        new(503, "The service is not available right now", reason) { RetryAfterSeconds = retryAfterSeconds };
}
