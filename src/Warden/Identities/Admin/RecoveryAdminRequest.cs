using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Http;
using Warden.Schemas;

namespace Warden.Identities.Admin;

/// <summary>The body of the admin recovery endpoints: <c>identity_id</c>, <c>expires_in</c> (Go duration), <c>flow_type</c>.</summary>
internal sealed record RecoveryAdminRequest(JsonObject Body, Guid IdentityId, TimeSpan ExpiresIn)
{
    /// <summary>Longest accepted <c>expires_in</c>: a recovery secret that lives for months is a standing back door.</summary>
    private static readonly TimeSpan Max = TimeSpan.FromDays(90);

    public static RecoveryAdminRequest Parse(JsonObject body, TimeSpan defaultLifespan)
    {
        var raw = JsonKit.AsString(body["identity_id"]);
        if (string.IsNullOrEmpty(raw)) throw ApiException.BadRequest("The field identity_id is required.");
        var id = AdminRequest.ParseId(raw, "identity_id");
        var expiresIn = defaultLifespan;
        if (body["expires_in"] is { } e)
        {
            var text = JsonKit.AsString(e);
            if (!GoDuration.TryParse(text, out expiresIn) || expiresIn <= TimeSpan.Zero)
                throw ApiException.BadRequest("The field expires_in must be a positive duration such as 15m, 1h or 24h.");
            if (expiresIn > Max) throw ApiException.BadRequest("The field expires_in may be at most 2160h (90 days).");
        }
        return new RecoveryAdminRequest(body, id, expiresIn);
    }

    public static string FlowType(JsonObject body)
    {
        if (body["flow_type"] is null) return "browser";
        var t = JsonKit.AsString(body["flow_type"]);
        return t is "browser" or "api"
            ? t
            : throw ApiException.BadRequest("The field flow_type must be browser or api.");
    }
}
