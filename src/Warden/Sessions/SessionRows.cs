using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.Schemas;

namespace Warden.Sessions;

/// <summary>Mapping between session rows and the model; JSON columns are parsed defensively.</summary>
internal static class SessionRows
{
    internal sealed class SessionIdentityRow
    {
        public Guid Id { get; set; }
        public Guid IdentityId { get; set; }
        public bool Active { get; set; }
        public string Aal { get; set; } = "aal1";
        public string? Methods { get; set; }
        public DateTime AuthenticatedAt { get; set; }
        public DateTime IssuedAt { get; set; }
        public DateTime ExpiresAt { get; set; }
        public string SchemaId { get; set; } = "";
        public string? Traits { get; set; }
        public string State { get; set; } = "active";
        public DateTime? StateChangedAt { get; set; }
        public string? MetadataPublic { get; set; }
        public string? ExternalId { get; set; }
        public Guid? OrganizationId { get; set; }
        public string? AvailableAal { get; set; }
        public DateTime IdentityCreatedAt { get; set; }
        public DateTime IdentityUpdatedAt { get; set; }
    }

    public static Session ToSession(SessionIdentityRow r, List<VerifiableAddress> verifiable, List<RecoveryAddress> recovery, List<SessionDevice> devices) => new()
    {
        Id = r.Id,
        IdentityId = r.IdentityId,
        Active = r.Active,
        Aal = r.Aal,
        AuthenticationMethods = MethodsFromJson(r.Methods),
        AuthenticatedAt = r.AuthenticatedAt,
        IssuedAt = r.IssuedAt,
        ExpiresAt = r.ExpiresAt,
        Devices = devices,
        IdentityAvailableAal = r.AvailableAal,
        Identity = new Identity
        {
            Id = r.IdentityId,
            SchemaId = r.SchemaId,
            Traits = ParseJson(r.Traits) ?? new JsonObject(),
            State = r.State,
            StateChangedAt = r.StateChangedAt,
            MetadataPublic = ParseJson(r.MetadataPublic),
            ExternalId = r.ExternalId,
            OrganizationId = r.OrganizationId,
            VerifiableAddresses = verifiable,
            RecoveryAddresses = recovery,
            CreatedAt = r.IdentityCreatedAt,
            UpdatedAt = r.IdentityUpdatedAt,
        },
    };

    private static JsonNode? ParseJson(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // A damaged document must not make whoami fail for the user; render it as absent.
            return null;
        }
    }

    public static string MethodsToJson(IEnumerable<AuthenticationMethod> methods)
    {
        var array = new JsonArray();
        foreach (var m in methods) array.Add(MethodToJson(m));
        return array.ToJsonString();
    }

    public static JsonObject MethodToJson(AuthenticationMethod m)
    {
        var o = new JsonObject { ["method"] = m.Method, ["aal"] = m.Aal, ["completed_at"] = Time(m.CompletedAt) };
        if (!string.IsNullOrEmpty(m.Provider)) o["provider"] = m.Provider;
        return o;
    }

    public static List<AuthenticationMethod> MethodsFromJson(string? text)
    {
        var list = new List<AuthenticationMethod>();
        if (ParseJson(text) is not JsonArray array) return list;
        foreach (var item in array)
        {
            if (item is not JsonObject o || JsonKit.AsString(o["method"]) is not { } method) continue;
            var completed = JsonKit.AsString(o["completed_at"]) is { } t &&
                            DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
                ? d : DateTime.MinValue;
            list.Add(new AuthenticationMethod(method, JsonKit.AsString(o["aal"]) ?? "aal1", DateTime.SpecifyKind(completed, DateTimeKind.Utc), JsonKit.AsString(o["provider"])));
        }
        return list;
    }

    /// <summary>RFC 3339 in UTC with the fraction trimmed, the way Kratos prints times.</summary>
    public static string Time(DateTime t)
    {
        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Both databases keep microseconds; truncate at creation so the issued JSON equals later reads.</summary>
    public static DateTime Microseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
}
