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
        var (session, rows) = await PrepareAsync(identity, methods, device, ct);
        // Inside the caller's transaction, or on their own: the session and its device are written together or not at all.
        if (c is not null) await rows.ExecuteAsync(c, tx, ct);
        else await db.AtomicAsync(rows, ct);
        return session;
    }

    /// <summary>
    /// A new session for <paramref name="identity"/> and the rows that store it, not yet written: the caller adds
    /// what must be written with it (a login's flow) and runs the batch (<see cref="Database.AtomicAsync"/>).
    /// </summary>
    public async Task<(Session Session, SqlBatch Rows)> PrepareAsync(Identity identity, IReadOnlyList<AuthenticationMethod> methods,
        DeviceInfo device, CancellationToken ct = default)
    {
        var ring = await keys.GetAsync(ct);
        var now = SessionRows.Microseconds(DateTime.UtcNow);
        var normalized = methods.Select(m => m with { CompletedAt = SessionRows.Microseconds(AsUtc(m.CompletedAt)) }).ToList();
        var session = new Session
        {
            Id = RowIds.New(),
            IdentityId = identity.Id,
            Identity = identity,
            Active = true,
            Aal = HighestAal(normalized),
            AuthenticationMethods = normalized,
            // The last completed factor is when the session was (re-)authenticated.
            AuthenticatedAt = normalized.Count > 0 ? normalized.Max(m => m.CompletedAt) : now,
            IssuedAt = now,
            ExpiresAt = now + options.Lifespan,
            Devices = [new SessionDevice { Id = RowIds.New(), IpAddress = device.IpAddress, UserAgent = device.UserAgent }],
            Token = SessionTokens.NewSessionToken(),
        };
        session.LogoutToken = SessionTokens.LogoutToken(ring.Logout[0], session.Id);
        var tokenHash = SessionTokens.Hash(ring.TokenHash[0], session.Token);
        var logoutHash = SessionTokens.Hash(ring.TokenHash[0], session.LogoutToken);
        return (session, SessionStore.InsertBatch(session, tokenHash, logoutHash));
    }

    /// <summary>
    /// Re-authenticates <paramref name="session"/> in place (Kratos' refresh login): same id and token, the method
    /// appended to authentication_methods (replacing an earlier entry of the same method), authenticated_at moved
    /// to the method's completion, AAL recomputed (it can rise), a fresh lifespan, and the device recorded when
    /// this IP/User-Agent pair is new. False, and nothing changed, when the session is no longer active.
    /// </summary>
    public Task<bool> RefreshAsync(Session session, AuthenticationMethod method, CancellationToken ct) =>
        RefreshAsync(session, method, device: null, ct: ct);

    /// <inheritdoc cref="RefreshAsync(Session, AuthenticationMethod, CancellationToken)"/>
    public async Task<bool> RefreshAsync(Session session, AuthenticationMethod method, DeviceInfo? device,
        DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        var now = SessionRows.Microseconds(DateTime.UtcNow);
        var completed = method with { CompletedAt = SessionRows.Microseconds(AsUtc(method.CompletedAt)) };
        var methods = session.AuthenticationMethods
            .Where(m => !(m.Method == completed.Method && m.Aal == completed.Aal && m.Provider == completed.Provider))
            .Append(completed).ToList();
        var refreshed = new SessionRefresh(session.Id, HighestAal(methods), methods, completed.CompletedAt, now + options.Lifespan, now);
        SessionDevice? newDevice = null;
        if (device is not null && !session.Devices.Any(d => d.IpAddress == device.IpAddress && d.UserAgent == device.UserAgent))
            newDevice = new SessionDevice { Id = RowIds.New(), IpAddress = device.IpAddress, UserAgent = device.UserAgent };
        bool ok;
        if (c is not null) ok = await store.RefreshAsync(c, tx, refreshed, newDevice, ct);
        else ok = await db.InTransactionAsync((own, ownTx) => store.RefreshAsync(own, ownTx, refreshed, newDevice, ct), ct);
        if (!ok) return false;
        session.AuthenticationMethods = methods;
        session.Aal = refreshed.Aal;
        session.AuthenticatedAt = refreshed.AuthenticatedAt;
        session.ExpiresAt = refreshed.ExpiresAt;
        if (newDevice is not null) session.Devices.Add(newDevice);
        // The caller may hand the session back to the client (cookie, session_token): same token as before.
        session.Token ??= session.PresentedToken;
        return true;
    }

    /// <summary>Ends every active session of the identity except <paramref name="keepSessionId"/>; returns how many ended.</summary>
    public Task<int> RevokeOthersAsync(Guid identityId, Guid keepSessionId, CancellationToken ct = default) =>
        store.DeactivateOthersAsync(identityId, keepSessionId, ct);

    /// <summary>
    /// extendSession: a fresh lifespan from now, but only once the session expires within
    /// <c>session.earliest_possible_extend</c>. Null when unknown, false when it was not due (nothing changed).
    /// </summary>
    public Task<bool?> ExtendAsync(Guid sessionId, CancellationToken ct = default)
    {
        var now = SessionRows.Microseconds(DateTime.UtcNow);
        var newExpiry = now + options.Lifespan;
        var due = now + options.EarliestPossibleExtend;
        // Never shorten: with earliest_possible_extend above the lifespan a session could otherwise lose time.
        return store.ExtendAsync(sessionId, newExpiry, due < newExpiry ? due : newExpiry, ct);
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
        var (token, fromCookie, cookieExpiry) = TokenFrom(request, ring);
        if (!SessionTokens.LooksLikeSessionToken(token)) return null;
        var session = await store.FindByTokenHashAsync(SessionTokens.Hashes(ring.TokenHash, token!), ct);
        if (session is null || !session.IsUsable(DateTime.UtcNow)) return null;
        session.PresentedToken = token;
        session.FromCookie = fromCookie;
        session.CookieExpiresAt = cookieExpiry;
        return session;
    }

    /// <summary>Kratos compat: the first credential present wins (header, then bearer, then cookie); there is no fallback.</summary>
    internal (string? Token, bool FromCookie, DateTime? CookieExpiry) TokenFrom(HttpRequest request, KeyRing ring)
    {
        var header = request.Headers["X-Session-Token"].ToString();
        if (header.Length > 0) return (header.Trim(), false, null);
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return (auth[7..].Trim(), false, null);
        if (!request.Cookies.TryGetValue(options.CookieName, out var cookie)) return (null, false, null);
        var (token, expiry) = CookiePayload.Read(CookieSealer.Open(ring.Cookie, options.CookieName, cookie));
        return (token, true, expiry);
    }

    /// <summary>Sets the session cookie (name/domain/path/same_site/persistent from config, HttpOnly, Secure unless --dev).</summary>
    public void WriteCookie(HttpResponse response, Session session)
    {
        if (session.Token is null) throw new InvalidOperationException("only a freshly issued session (with its token) can be written to a cookie");
        WriteCookie(response, session.Token, session.ExpiresAt);
    }

    /// <summary>
    /// Kratos compat: whoami re-sends the cookie when the session's expiry moved since the cookie was written
    /// (admin extend, refresh elsewhere), so a persistent cookie never outlives or undercuts its session.
    /// Token-authenticated requests are left alone. Writes nothing to the database.
    /// </summary>
    public void RefreshCookieIfStale(HttpResponse response, Session session) =>
        RefreshCookieIfStale(response, session.FromCookie ? session.PresentedToken : null, session.CookieExpiresAt, session.ExpiresAt);

    /// <param name="cookieToken">The token the request's cookie carried; null when the session came from a header.</param>
    internal void RefreshCookieIfStale(HttpResponse response, string? cookieToken, DateTime? sealedExpiry, DateTime expiresAt)
    {
        if (cookieToken is null) return;
        if (sealedExpiry is { } sealedAt && sealedAt.Ticks == expiresAt.Ticks) return;
        WriteCookie(response, cookieToken, expiresAt);
    }

    private void WriteCookie(HttpResponse response, string token, DateTime expiresAt)
    {
        var value = CookieSealer.Seal(keys.Current.Cookie[0], options.CookieName, CookiePayload.Write(token, expiresAt));
        var cookie = BaseCookie();
        if (options.CookiePersistent)
        {
            cookie.Expires = DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc);
            cookie.MaxAge = expiresAt - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;
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

    /// <summary>
    /// The Kratos session JSON (identity without credentials). <paramref name="adminIdentity"/> renders the
    /// identity as the admin API does; <paramref name="devices"/> false leaves devices out (not expanded).
    /// </summary>
    public JsonObject ToJson(Session session, bool adminIdentity = false, bool devices = true)
    {
        var o = new JsonObject
        {
            ["id"] = session.Id.ToString("D"),
            // An expired session is not active, whatever its stored flag says (listings filter the same way).
            ["active"] = session.Active && session.ExpiresAt > DateTime.UtcNow,
            ["expires_at"] = SessionRows.Time(session.ExpiresAt),
            ["authenticated_at"] = SessionRows.Time(session.AuthenticatedAt),
            ["authenticator_assurance_level"] = session.Aal,
            ["authentication_methods"] = new JsonArray(session.AuthenticationMethods.Select(m => (JsonNode)SessionRows.MethodToJson(m)).ToArray()),
            ["issued_at"] = SessionRows.Time(session.IssuedAt),
        };
        if (session.Identity is not null) o["identity"] = identityJson.ToJson(session.Identity, admin: adminIdentity);
        if (!devices) return o;
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
