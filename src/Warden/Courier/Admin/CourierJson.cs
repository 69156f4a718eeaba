using System.Globalization;
using System.Text.Json.Nodes;

namespace Warden.Courier.Admin;

/// <summary>The wire shape of a message (Kratos' <c>message</c>) and its dispatches (<c>messageDispatch</c>).</summary>
internal static class CourierJson
{
    public static JsonObject Message(MessageRow m, IReadOnlyList<DispatchRow>? dispatches)
    {
        var o = new JsonObject
        {
            ["id"] = m.Id.ToString(),
            ["status"] = m.Status,
            // Kratos compat: the API calls SMS messages "phone".
            ["type"] = m.Type == "sms" ? "phone" : m.Type,
            ["recipient"] = m.Recipient,
            ["body"] = m.Body,
            ["subject"] = m.Subject,
            ["template_type"] = m.TemplateType,
            ["send_count"] = m.SendCount,
            ["channel"] = m.Channel ?? m.Type,
            ["created_at"] = Time(m.CreatedAt),
            ["updated_at"] = Time(m.UpdatedAt),
        };
        if (dispatches is not null)
            o["dispatches"] = new JsonArray(dispatches.Select(d => (JsonNode)Dispatch(d)).ToArray());
        return o;
    }

    private static JsonObject Dispatch(DispatchRow d)
    {
        var o = new JsonObject
        {
            ["id"] = d.Id.ToString(),
            ["message_id"] = d.MessageId.ToString(),
            ["status"] = d.Status,
        };
        if (d.Error is { Length: > 0 } error) o["error"] = ParseError(error);
        o["created_at"] = Time(d.CreatedAt);
        o["updated_at"] = Time(d.UpdatedAt);
        return o;
    }

    /// <summary>Errors are stored as a JSON object ({"message": …}); plain text from elsewhere is wrapped.</summary>
    private static JsonNode ParseError(string error)
    {
        try
        {
            if (JsonNode.Parse(error) is JsonObject o) return o;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return new JsonObject { ["message"] = error };
    }

    private static string Time(DateTime t) =>
        DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
