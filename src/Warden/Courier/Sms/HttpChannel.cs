using System.Text.Json.Nodes;
using Warden.Config;

namespace Warden.Courier.Sms;

/// <summary>
/// An HTTP delivery channel for SMS: <c>courier.channels[]</c> with <c>id: sms</c> (type http), or the legacy
/// <c>courier.sms</c> block. The request goes to <c>request_config.url</c> with its method, headers and auth
/// (api_key in a header or cookie, or basic_auth).
/// </summary>
internal sealed record HttpChannel
{
    public required string Key { get; init; }
    public required Uri Url { get; init; }
    public string Method { get; init; } = "POST";
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>A configured jsonnet body; Warden cannot evaluate jsonnet, so such a channel fails every message clearly.</summary>
    public string? CustomBody { get; init; }
    public string? Sender { get; init; }
    public (string Name, string Value, bool InCookie)? ApiKey { get; init; }
    public (string User, string Password)? Basic { get; init; }

    public static HttpChannel? From(WardenConfig config)
    {
        if (config.Node("courier.channels") is JsonArray channels)
        {
            for (var i = 0; i < channels.Count; i++)
            {
                if (channels[i] is not JsonObject ch || ch["id"]?.ToString() != "sms") continue;
                var type = ch["type"]?.ToString() ?? "http";
                if (type != "http") throw new ConfigException($"courier.channels.{i}.type", "only http channels are supported");
                return Read(ch["request_config"] as JsonObject, $"courier.channels.{i}.request_config", null);
            }
        }
        if (config.Node("courier.sms") is JsonObject legacy && legacy["enabled"] is JsonValue e && e.TryGetValue<bool>(out var on) && on)
            return Read(legacy["request_config"] as JsonObject, "courier.sms.request_config", legacy["from"]?.ToString());
        return null;
    }

    private static HttpChannel Read(JsonObject? rc, string key, string? from)
    {
        if (rc is null) throw new ConfigException(key, "is required for an SMS channel");
        var url = rc["url"]?.ToString();
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ConfigException($"{key}.url", "must be an absolute http(s) URL");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (rc["headers"] is JsonObject h) foreach (var (n, v) in h) headers[n] = v?.ToString() ?? "";
        (string, string, bool)? apiKey = null;
        (string, string)? basic = null;
        if (rc["auth"] is JsonObject auth && auth["config"] is JsonObject ac)
        {
            switch (auth["type"]?.ToString())
            {
                case "api_key":
                    apiKey = (ac["name"]?.ToString() ?? throw new ConfigException($"{key}.auth.config.name", "is required"),
                        ac["value"]?.ToString() ?? "", ac["in"]?.ToString() == "cookie");
                    break;
                case "basic_auth":
                    basic = (ac["user"]?.ToString() ?? "", ac["password"]?.ToString() ?? "");
                    break;
                default:
                    throw new ConfigException($"{key}.auth.type", "must be api_key or basic_auth");
            }
        }
        var body = rc["body"]?.ToString();
        return new HttpChannel
        {
            Key = key,
            Url = uri,
            Method = (rc["method"]?.ToString() is { Length: > 0 } m ? m : "POST").ToUpperInvariant(),
            Headers = headers,
            CustomBody = string.IsNullOrWhiteSpace(body) || body == DefaultBodyUrl ? null : body,
            Sender = from,
            ApiKey = apiKey,
            Basic = basic,
        };
    }

    /// <summary>Kratos' default body (schema default): the payload Warden builds natively.</summary>
    public const string DefaultBodyUrl =
        "base64://ZnVuY3Rpb24oY3R4KSB7CiAgcmVjaXBpZW50OiBjdHgucmVjaXBpZW50LAogIHRlbXBsYXRlX3R5cGU6IGN0eC50ZW1wbGF0ZV90eXBlLAogIHRvOiBpZiAidGVtcGxhdGVfZGF0YSIgaW4gY3R4ICYmICJ0byIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS50byBlbHNlIG51bGwsCiAgcmVjb3ZlcnlfY29kZTogaWYgInRlbXBsYXRlX2RhdGEiIGluIGN0eCAmJiAicmVjb3ZlcnlfY29kZSIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS5yZWNvdmVyeV9jb2RlIGVsc2UgbnVsbCwKICByZWNvdmVyeV91cmw6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInJlY292ZXJ5X3VybCIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS5yZWNvdmVyeV91cmwgZWxzZSBudWxsLAogIHZlcmlmaWNhdGlvbl91cmw6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInZlcmlmaWNhdGlvbl91cmwiIGluIGN0eC50ZW1wbGF0ZV9kYXRhIHRoZW4gY3R4LnRlbXBsYXRlX2RhdGEudmVyaWZpY2F0aW9uX3VybCBlbHNlIG51bGwsCiAgdmVyaWZpY2F0aW9uX2NvZGU6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInZlcmlmaWNhdGlvbl9jb2RlIiBpbiBjdHgudGVtcGxhdGVfZGF0YSB0aGVuIGN0eC50ZW1wbGF0ZV9kYXRhLnZlcmlmaWNhdGlvbl9jb2RlIGVsc2UgbnVsbCwKICBzdWJqZWN0OiBjdHguc3ViamVjdCwKICBib2R5OiBjdHguYm9keQp9Cg==";
}
