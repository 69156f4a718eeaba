using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Warden.Http;

/// <summary>Serialises errors in the one shape every Warden endpoint uses.</summary>
public static class ErrorWriter
{
    public static JsonObject ToJson(ApiException e, string? requestId = null)
    {
        var error = new JsonObject();
        if (e.Id is not null) error["id"] = e.Id;
        error["code"] = e.Code;
        error["status"] = ReasonPhrases.GetReasonPhrase(e.Code);
        if (requestId is not null) error["request"] = requestId;
        if (e.Reason is not null) error["reason"] = e.Reason;
        if (e.Details is not null) error["details"] = e.Details.DeepClone();
        error["message"] = e.Message;
        return new JsonObject { ["error"] = error };
    }

    public static async Task WriteAsync(HttpContext context, ApiException e)
    {
        if (context.Response.HasStarted) return;
        context.Response.Clear();
        context.Response.StatusCode = e.Code;
        context.Response.ContentType = "application/json; charset=utf-8";
        // Kratos compat: error responses are never cached.
        context.Response.Headers.CacheControl = "private, no-cache, no-store, must-revalidate";
        if (e.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(ToJson(e).ToJsonString(WardenJson.Options), context.RequestAborted);
    }
}
