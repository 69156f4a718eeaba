using System.Text.Json.Nodes;

namespace Warden.Identities;

/// <summary>An identity as stored. Rendering to the wire shape is <see cref="IdentityJson"/>'s job.</summary>
public sealed class Identity
{
    public Guid Id { get; set; }
    public string SchemaId { get; set; } = "";
    public JsonNode Traits { get; set; } = new JsonObject();
    /// <summary>active | inactive. Inactive identities cannot sign in and their sessions end.</summary>
    public string State { get; set; } = "active";
    public DateTime? StateChangedAt { get; set; }
    public JsonNode? MetadataPublic { get; set; }
    public JsonNode? MetadataAdmin { get; set; }
    public string? ExternalId { get; set; }
    public Guid? OrganizationId { get; set; }
    /// <summary>Keyed by credential type (password, oidc, totp, …). Empty unless loaded with credentials.</summary>
    public Dictionary<string, Credential> Credentials { get; set; } = new();
    public List<VerifiableAddress> VerifiableAddresses { get; set; } = [];
    public List<RecoveryAddress> RecoveryAddresses { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class Credential
{
    public Guid Id { get; set; }
    public string Type { get; set; } = "";
    public List<string> Identifiers { get; set; } = [];
    /// <summary>Type-specific config; for password: <c>{"hashed_password": "…"}</c>.</summary>
    public JsonObject Config { get; set; } = new();
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class VerifiableAddress
{
    public Guid Id { get; set; }
    public string Via { get; set; } = "email";
    public string Value { get; set; } = "";
    public bool Verified { get; set; }
    public DateTime? VerifiedAt { get; set; }
    /// <summary>pending | sent | completed.</summary>
    public string Status { get; set; } = "pending";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class RecoveryAddress
{
    public Guid Id { get; set; }
    public string Via { get; set; } = "email";
    public string Value { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
