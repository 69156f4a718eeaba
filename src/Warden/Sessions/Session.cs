using Warden.Identities;

namespace Warden.Sessions;

/// <summary>A session as stored; <see cref="Token"/> and <see cref="LogoutToken"/> are set only when just issued.</summary>
public sealed class Session
{
    public Guid Id { get; set; }
    public Guid IdentityId { get; set; }
    public Identity? Identity { get; set; }
    public bool Active { get; set; } = true;
    /// <summary>aal1 | aal2 | aal3.</summary>
    public string Aal { get; set; } = "aal1";
    public List<AuthenticationMethod> AuthenticationMethods { get; set; } = [];
    public DateTime AuthenticatedAt { get; set; }
    public DateTime IssuedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public List<SessionDevice> Devices { get; set; } = [];
    /// <summary>Plaintext token (<c>ory_st_…</c>), known only at issuance; the database holds a keyed hash.</summary>
    public string? Token { get; set; }
    /// <summary>Plaintext logout token (<c>ory_lo_…</c>), known only at issuance.</summary>
    public string? LogoutToken { get; set; }

    /// <summary>
    /// The highest AAL the identity could reach (identities.available_aal), loaded with the session so the
    /// whoami AAL check needs no second query. Null when unknown (treated as aal1).
    /// </summary>
    public string? IdentityAvailableAal { get; set; }

    /// <summary>The plaintext token this request presented (header, bearer or cookie); never rendered.</summary>
    internal string? PresentedToken { get; set; }

    /// <summary>True when the session was named by the cookie (not a header).</summary>
    internal bool FromCookie { get; set; }

    /// <summary>The expiry sealed into the presented cookie; null when unknown (older cookie) or not from a cookie.</summary>
    internal DateTime? CookieExpiresAt { get; set; }

    /// <summary>Active, unexpired, and the identity may sign in.</summary>
    public bool IsUsable(DateTime nowUtc) =>
        Active && ExpiresAt > nowUtc && (Identity is null || Identity.State == "active");
}

public sealed record AuthenticationMethod(string Method, string Aal, DateTime CompletedAt, string? Provider = null);

public sealed class SessionDevice
{
    public Guid Id { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? Location { get; set; }
}

/// <summary>Where a request came from, recorded as a session device.</summary>
public sealed record DeviceInfo(string? IpAddress, string? UserAgent);
