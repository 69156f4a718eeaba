using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Config;
using Warden.Identities;
using Warden.Persistence;
using Warden.Sessions;

namespace Warden.Tests.Sessions;

/// <summary>
/// Identities written straight into the tables (so session tests do not depend on the identity service), and
/// session managers built without the HTTP host.
/// </summary>
internal static class SessionTestData
{
    public static async Task<Identity> InsertIdentityAsync(Database db, string email = "alice@example.org", string state = "active", string? availableAal = null)
    {
        var now = DateTime.UtcNow;
        var identity = new Identity
        {
            Id = Guid.NewGuid(),
            SchemaId = "default",
            Traits = new JsonObject { ["email"] = email },
            State = state,
            CreatedAt = now,
            UpdatedAt = now,
            VerifiableAddresses = [new VerifiableAddress { Id = Guid.NewGuid(), Via = "email", Value = email, Status = "pending", CreatedAt = now, UpdatedAt = now }],
            RecoveryAddresses = [new RecoveryAddress { Id = Guid.NewGuid(), Via = "email", Value = email, CreatedAt = now, UpdatedAt = now }],
        };
        await using var c = await db.OpenAsync();
        var nid = Database.DefaultNetworkId;
        await c.ExecuteAsync(
            "INSERT INTO identities (id, nid, schema_id, traits, state, available_aal, created_at, updated_at) VALUES (@Id, @nid, @SchemaId, @traits, @State, @aal, @CreatedAt, @UpdatedAt)",
            new { identity.Id, nid, identity.SchemaId, traits = identity.Traits.ToJsonString(), identity.State, aal = availableAal, identity.CreatedAt, identity.UpdatedAt });
        var va = identity.VerifiableAddresses[0];
        await c.ExecuteAsync(
            "INSERT INTO identity_verifiable_addresses (id, nid, identity_id, via, value, verified, status, created_at, updated_at) VALUES (@Id, @nid, @iid, @Via, @Value, @Verified, @Status, @CreatedAt, @UpdatedAt)",
            new { va.Id, nid, iid = identity.Id, va.Via, va.Value, va.Verified, va.Status, va.CreatedAt, va.UpdatedAt });
        var ra = identity.RecoveryAddresses[0];
        await c.ExecuteAsync(
            "INSERT INTO identity_recovery_addresses (id, nid, identity_id, via, value, created_at, updated_at) VALUES (@Id, @nid, @iid, @Via, @Value, @CreatedAt, @UpdatedAt)",
            new { ra.Id, nid, iid = identity.Id, ra.Via, ra.Value, ra.CreatedAt, ra.UpdatedAt });
        return identity;
    }

    public static WardenConfig TestConfig(JsonObject? root = null, bool dev = false) => new(root ?? new JsonObject(), dev);

    public static JsonObject Secrets(string[]? defaults = null, string[]? cookie = null)
    {
        var s = new JsonObject();
        if (defaults is not null) s["default"] = new JsonArray(defaults.Select(d => (JsonNode?)d).ToArray());
        if (cookie is not null) s["cookie"] = new JsonArray(cookie.Select(d => (JsonNode?)d).ToArray());
        return new JsonObject { ["secrets"] = s };
    }

    /// <summary>
    /// A manager without the host. Rendering (ToJson) is not available here: it needs the identity renderer,
    /// which HTTP tests exercise through the real container.
    /// </summary>
    public static SessionManager Manager(Database db, WardenConfig config) =>
        new(SessionOptions.From(config), new SessionKeys(config, db, NullLogger<SessionKeys>.Instance), new SessionStore(db), db, identityJson: null!);

    public static HttpRequest Request(string? header = null, string? bearer = null, string? cookie = null)
    {
        var context = new DefaultHttpContext();
        if (header is not null) context.Request.Headers["X-Session-Token"] = header;
        if (bearer is not null) context.Request.Headers.Authorization = "Bearer " + bearer;
        if (cookie is not null) context.Request.Headers.Cookie = cookie;
        return context.Request;
    }

    /// <summary>The <c>name=value</c> pair of the first Set-Cookie a manager wrote, ready for a Cookie header.</summary>
    public static (string Pair, string SetCookie) WrittenCookie(SessionManager manager, Session session)
    {
        var context = new DefaultHttpContext();
        manager.WriteCookie(context.Response, session);
        var setCookie = context.Response.Headers.SetCookie.ToString();
        return (setCookie.Split(';')[0], setCookie);
    }

    public static DeviceInfo Device => new("203.0.113.7", "TestAgent/1.0");

    public static readonly AuthenticationMethod Password = new("password", "aal1", DateTime.UtcNow);
}
