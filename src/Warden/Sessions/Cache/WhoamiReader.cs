using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Warden.Http;

namespace Warden.Sessions.Cache;

/// <summary>What whoami answers: the (possibly cached) session plus what this request presented.</summary>
internal sealed record WhoamiAnswer(CachedWhoami Session, string? CookieToken, DateTime? CookieExpiresAt);

/// <summary>
/// The session a whoami request names, from the <see cref="SessionCache"/> when it has it, else from the
/// database (one round trip) and then cached. Only whoami reads through here: flows and the session APIs keep
/// reading the database, so anything that decides or writes never acts on a cached view.
/// </summary>
internal sealed class WhoamiReader(SessionCache cache, SessionManager sessions, SessionKeys keys, SessionStore store)
{
    public async Task<WhoamiAnswer?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var ring = await keys.GetAsync(ct);
        var (token, fromCookie, cookieExpiry) = sessions.TokenFrom(request, ring);
        if (!SessionTokens.LooksLikeSessionToken(token)) return null;
        var now = DateTime.UtcNow;
        // The digest under the current key names the token in the cache; older keys only matter for the database.
        var digest = TokenKey.Of(ring.TokenHash[0], token!);
        var entry = cache.Get(digest, now);
        if (entry is null)
        {
            var stamp = cache.Stamp;
            var hashes = ring.TokenHash.Count == 1 ? [digest.ToHex()] : SessionTokens.Hashes(ring.TokenHash, token!);
            var session = await store.FindByTokenHashAsync(hashes, ct);
            if (session is null || !session.IsUsable(now)) return null;
            entry = new CachedWhoami(session.Id, session.IdentityId, session.Aal, session.IdentityAvailableAal, session.ExpiresAt,
                Environment.TickCount64, JsonSerializer.SerializeToUtf8Bytes(sessions.ToJson(session), WardenJson.Options));
            if (cache.Enabled) cache.Add(digest, entry, stamp);
        }
        return new WhoamiAnswer(entry, fromCookie ? token : null, cookieExpiry);
    }
}
