using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Identities;
using Warden.Persistence;

namespace Warden.Sessions;

/// <summary>
/// CONTRACT (filled in by the sessions work): issues, finds, renders and revokes sessions; owns the
/// <c>ory_kratos_session</c> cookie.
/// </summary>
public sealed class SessionManager(SessionOptions options, SessionKeys keys, SessionStore store, Database db, IdentityJson identityJson)
{
    private static readonly object RequestCacheKey = new();

    public SessionOptions Options => options;

    /// <summary>
    /// Creates and stores a session for <paramref name="identity"/> (lifespan from <c>session.lifespan</c>).
    /// Pass <paramref name="c"/>/<paramref name="tx"/> to insert inside the caller's transaction.
    /// The returned session carries the plaintext <see cref="Session.Token"/>.
    /// </summary>
    public async Task<Session> IssueAsync(Identity identity, IReadOnlyList<AuthenticationMethod> methods, DeviceInfo device,
        DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        var ring = await keys.GetAsync(ct);
        var now = SessionRows.Microseconds(DateTime.UtcNow);
        var normalized = methods.Select(m => m with { CompletedAt = SessionRows.Microseconds(AsUtc(m.CompletedAt)) }).ToList();
        var session = new Session
        {
            Id = Guid.NewGuid(),
            IdentityId = identity.Id,
            Identity = identity,
            Active = true,
            Aal = HighestAal(normalized),
            AuthenticationMethods = normalized,
            // The last completed factor is when the session was (re-)authenticated.
            AuthenticatedAt = normalized.Count > 0 ? normalized.Max(m => m.CompletedAt) : now,
            IssuedAt = now,
            ExpiresAt = now + options.Lifespan,
            Devices = [new SessionDevice { Id = Guid.NewGuid(), IpAddress = device.IpAddress, UserAgent = device.UserAgent }],
            Token = SessionTokens.NewSessionToken(),
        };
        session.LogoutToken = SessionTokens.LogoutToken(ring.Logout[0], session.Id);
        var tokenHash = SessionTokens.Hash(ring.TokenHash[0], session.Token);
        var logoutHash = SessionTokens.Hash(ring.TokenHash[0], session.LogoutToken);
        if (c is not null)
        {
            await store.InsertAsync(c, tx, session, tokenHash, logoutHash, ct);
        }
        else
        {
            await using var own = await db.OpenAsync(ct);
            await store.InsertAsync(own, null, session, tokenHash, logoutHash, ct);
        }
        return session;
    }

    private static DateTime AsUtc(DateTime t) => t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime();

    /// <summary>aal order is lexical (aal1 &lt; aal2 &lt; aal3); no methods means a first factor of some kind.</summary>
    internal static string HighestAal(IEnumerable<AuthenticationMethod> methods) =>
        methods.Select(m => m.Aal).Where(a => a is "aal1" or "aal2" or "aal3").DefaultIfEmpty("aal1").Max(StringComparer.Ordinal)!;

    /// <summary>The active session named by <c>X-Session-Token</c>, <c>Authorization: Bearer</c> or the cookie; null if none/expired.</summary>
    public async Task<Session?> FromRequestAsync(HttpRequest request, CancellationToken ct = default)
    {
        // Several parts of one request (hooks, endpoint) may ask; the database is asked once.
        if (request.HttpContext.Items.TryGetValue(RequestCacheKey, out var cached)) return cached as Session;
        var session = await LoadAsync(request, ct);
        request.HttpContext.Items[RequestCacheKey] = session;
        return session;
    }

    private async Task<Session?> LoadAsync(HttpRequest request, CancellationToken ct)
    {
        var ring = await keys.GetAsync(ct);
        var token = TokenFrom(request, ring);
        if (!SessionTokens.LooksLikeSessionToken(token)) return null;
        var session = await store.FindByTokenHashAsync(SessionTokens.Hashes(ring.TokenHash, token!), ct);
        return session is not null && session.IsUsable(DateTime.UtcNow) ? session : null;
    }

    /// <summary>Kratos compat: the first credential present wins (header, then bearer, then cookie); there is no fallback.</summary>
    private string? TokenFrom(HttpRequest request, KeyRing ring)
    {
        var header = request.Headers["X-Session-Token"].ToString();
        if (header.Length > 0) return header.Trim();
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth[7..].Trim();
        return request.Cookies.TryGetValue(options.CookieName, out var cookie)
            ? CookieSealer.Open(ring.Cookie, options.CookieName, cookie)
            : null;
    }

    /// <summary>Sets the session cookie (name/domain/path/same_site/persistent from config, HttpOnly, Secure unless --dev).</summary>
    public void WriteCookie(HttpResponse response, Session session)
    {
        if (session.Token is null) throw new InvalidOperationException("only a freshly issued session (with its token) can be written to a cookie");
        var value = CookieSealer.Seal(keys.Current.Cookie[0], options.CookieName, session.Token);
        var cookie = BaseCookie();
        if (options.CookiePersistent)
        {
            cookie.Expires = session.ExpiresAt;
            cookie.MaxAge = session.ExpiresAt - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
        response.Cookies.Append(options.CookieName, value, cookie);
    }

    public void ClearCookie(HttpResponse response)
    {
        var cookie = BaseCookie();
        cookie.Expires = DateTimeOffset.UnixEpoch;
        cookie.MaxAge = TimeSpan.Zero;
        response.Cookies.Append(options.CookieName, "", cookie);
    }

    private CookieOptions BaseCookie() => new()
    {
        HttpOnly = true,
        Secure = options.CookieSecure,
        SameSite = options.CookieSameSite,
        Path = options.CookiePath,
        Domain = options.CookieDomain,
        IsEssential = true,
    };

    /// <summary>The Kratos session JSON (identity without credentials).</summary>
    public JsonObject ToJson(Session session)
    {
        var o = new JsonObject
        {
            ["id"] = session.Id.ToString("D"),
            ["active"] = session.Active,
            ["expires_at"] = SessionRows.Time(session.ExpiresAt),
            ["authenticated_at"] = SessionRows.Time(session.AuthenticatedAt),
            ["authenticator_assurance_level"] = session.Aal,
            ["authentication_methods"] = new JsonArray(session.AuthenticationMethods.Select(m => (JsonNode)SessionRows.MethodToJson(m)).ToArray()),
            ["issued_at"] = SessionRows.Time(session.IssuedAt),
        };
        if (session.Identity is not null) o["identity"] = identityJson.ToJson(session.Identity);
        o["devices"] = new JsonArray(session.Devices.Select(d => (JsonNode)new JsonObject
        {
            ["id"] = d.Id.ToString("D"),
            ["ip_address"] = d.IpAddress,
            ["user_agent"] = d.UserAgent,
            ["location"] = d.Location,
        }).ToArray());
        return o;
    }

    public async Task RevokeAsync(Guid sessionId, CancellationToken ct = default) => await store.DeactivateAsync(sessionId, ct);

    /// <summary>Ends the session a native app holds the token of; false when no such session exists.</summary>
    public async Task<bool> RevokeByTokenAsync(string token, CancellationToken ct = default)
    {
        if (!SessionTokens.LooksLikeSessionToken(token)) return false;
        var ring = await keys.GetAsync(ct);
        return await store.DeactivateByTokenHashAsync(SessionTokens.Hashes(ring.TokenHash, token), ct);
    }

    /// <summary>The logout token of a session (stable per session, so every logout URL handed out stays valid).</summary>
    public async Task<string> LogoutTokenAsync(Session session, CancellationToken ct = default) =>
        SessionTokens.LogoutToken((await keys.GetAsync(ct)).Logout[0], session.Id);

    /// <summary>Constant-time check that <paramref name="token"/> is this session's logout token under any accepted key.</summary>
    public async Task<bool> IsLogoutTokenAsync(Session session, string? token, CancellationToken ct = default) =>
        SessionTokens.IsLogoutTokenOf((await keys.GetAsync(ct)).Logout, session.Id, token);

    /// <summary>Device info for the current request (IP from the connection; X-Forwarded-For only from trusted proxies).</summary>
    public DeviceInfo Device(HttpContext context) => DeviceResolver.Resolve(context, options.TrustedProxies);
}
