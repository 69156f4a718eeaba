using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Identities;

namespace Warden.Sessions;

/// <summary>
/// CONTRACT (filled in by the sessions work): issues, finds, renders and revokes sessions; owns the
/// <c>ory_kratos_session</c> cookie.
/// </summary>
public sealed class SessionManager
{
    /// <summary>
    /// Creates and stores a session for <paramref name="identity"/> (lifespan from <c>session.lifespan</c>).
    /// Pass <paramref name="c"/>/<paramref name="tx"/> to insert inside the caller's transaction.
    /// The returned session carries the plaintext <see cref="Session.Token"/>.
    /// </summary>
    public Task<Session> IssueAsync(Identity identity, IReadOnlyList<AuthenticationMethod> methods, DeviceInfo device,
        DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>The active session named by <c>X-Session-Token</c>, <c>Authorization: Bearer</c> or the cookie; null if none/expired.</summary>
    public Task<Session?> FromRequestAsync(HttpRequest request, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Sets the session cookie (name/domain/path/same_site/persistent from config, HttpOnly, Secure unless --dev).</summary>
    public void WriteCookie(HttpResponse response, Session session) => throw new NotImplementedException();

    public void ClearCookie(HttpResponse response) => throw new NotImplementedException();

    /// <summary>The Kratos session JSON (identity without credentials).</summary>
    public JsonObject ToJson(Session session) => throw new NotImplementedException();

    public Task RevokeAsync(Guid sessionId, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Device info for the current request (IP from the connection; X-Forwarded-For only from trusted proxies).</summary>
    public DeviceInfo Device(HttpContext context) => throw new NotImplementedException();
}
