using System.Data.Common;
using Warden.Persistence;

namespace Warden.Sessions;

/// <summary>
/// Rows of <c>sessions</c> and <c>session_devices</c>. Lookups take the digests of a token under every accepted
/// key (see <see cref="SessionTokens.Hashes"/>); plaintext tokens never reach this class.
/// </summary>
public sealed class SessionStore(Database db)
{
    /// <summary>
    /// The session row and its device row, to run inside the caller's transaction (<see cref="SqlBatch.ExecuteAsync"/>)
    /// or on their own (<see cref="Database.AtomicAsync"/>): one round trip on PostgreSQL either way.
    /// </summary>
    public static SqlBatch InsertBatch(Session s, string tokenHash, string logoutTokenHash)
    {
        var batch = new SqlBatch().Add(
            """
            INSERT INTO sessions (id, nid, identity_id, token_hash, logout_token_hash, active, aal, authentication_methods,
                authenticated_at, issued_at, expires_at, created_at, updated_at)
            VALUES (@Id, @Nid, @IdentityId, @TokenHash, @LogoutTokenHash, @Active, @Aal, @Methods,
                @AuthenticatedAt, @IssuedAt, @ExpiresAt, @IssuedAt, @IssuedAt)
            """,
            new
            {
                s.Id,
                Nid = Database.DefaultNetworkId,
                s.IdentityId,
                TokenHash = tokenHash,
                LogoutTokenHash = logoutTokenHash,
                s.Active,
                s.Aal,
                Methods = SessionRows.MethodsToJson(s.AuthenticationMethods),
                s.AuthenticatedAt,
                s.IssuedAt,
                s.ExpiresAt,
            });
        foreach (var device in s.Devices) AddDevice(batch, s.Id, device, s.IssuedAt);
        return batch;
    }

    /// <summary>A device row of a session (a new session's, or the one a refresh login came from).</summary>
    private static SqlBatch AddDevice(SqlBatch batch, Guid sessionId, SessionDevice device, DateTime at) => batch.Add(
        """
        INSERT INTO session_devices (id, nid, session_id, ip_address, user_agent, location, created_at, updated_at)
        VALUES (@Id, @Nid, @SessionId, @IpAddress, @UserAgent, @Location, @At, @At)
        """,
        new { device.Id, Nid = Database.DefaultNetworkId, SessionId = sessionId, device.IpAddress, device.UserAgent, device.Location, At = at });

    /// <summary>
    /// The session with one of these token digests, with its identity (no credentials), the identity's
    /// addresses and the session's devices: four SELECTs in one command, i.e. one database round trip.
    /// Returned whatever its state; the caller decides whether it is usable.
    /// </summary>
    public async Task<Session?> FindByTokenHashAsync(IReadOnlyList<string> hashes, CancellationToken ct = default)
    {
        if (hashes.Count == 0) return null;
        var p = new { nid = Database.DefaultNetworkId, hashes };
        const string match = "s.nid = @nid AND s.token_hash IN @hashes";
        const string sql = $"""
            SELECT s.id AS Id, s.identity_id AS IdentityId, s.active AS Active, s.aal AS Aal, s.authentication_methods AS Methods,
                s.authenticated_at AS AuthenticatedAt, s.issued_at AS IssuedAt, s.expires_at AS ExpiresAt,
                i.schema_id AS SchemaId, i.traits AS Traits, i.state AS State, i.state_changed_at AS StateChangedAt,
                i.metadata_public AS MetadataPublic, i.external_id AS ExternalId, i.organization_id AS OrganizationId,
                i.available_aal AS AvailableAal, i.created_at AS IdentityCreatedAt, i.updated_at AS IdentityUpdatedAt
            FROM sessions s JOIN identities i ON i.id = s.identity_id AND i.nid = s.nid
            WHERE {match};
            SELECT a.id AS Id, a.via AS Via, a.value AS Value, a.verified AS Verified, a.verified_at AS VerifiedAt,
                a.status AS Status, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt
            FROM identity_verifiable_addresses a JOIN sessions s ON s.identity_id = a.identity_id
            WHERE {match} ORDER BY a.created_at, a.id;
            SELECT r.id AS Id, r.via AS Via, r.value AS Value, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt
            FROM identity_recovery_addresses r JOIN sessions s ON s.identity_id = r.identity_id
            WHERE {match} ORDER BY r.created_at, r.id;
            SELECT d.id AS Id, d.ip_address AS IpAddress, d.user_agent AS UserAgent, d.location AS Location
            FROM session_devices d JOIN sessions s ON s.id = d.session_id
            WHERE {match} ORDER BY d.created_at, d.id;
            """;
        await using var c = await db.OpenAsync(ct);
        await using var grid = await c.QueryMultipleAsync(new SqlStatement(sql, p, cancellationToken: ct));
        var row = (await grid.ReadAsync<SessionRows.SessionIdentityRow>()).FirstOrDefault();
        var verifiable = (await grid.ReadAsync<Identities.VerifiableAddress>()).ToList();
        var recovery = (await grid.ReadAsync<Identities.RecoveryAddress>()).ToList();
        var devices = (await grid.ReadAsync<SessionDevice>()).ToList();
        return row is null ? null : SessionRows.ToSession(row, verifiable, recovery, devices);
    }

    /// <summary>Ends one session; true when it existed.</summary>
    public async Task<bool> DeactivateAsync(Guid sessionId, CancellationToken ct = default)
    {
        var n = await db.WriteAsync(
            "UPDATE sessions SET active = @no, updated_at = @now WHERE nid = @nid AND id = @id",
            new { no = false, now = DateTime.UtcNow, nid = Database.DefaultNetworkId, id = sessionId }, ct);
        db.Changes.Session(sessionId);
        return n > 0;
    }

    /// <summary>Ends the session with one of these token digests; true when such a session exists (even if it had ended before).</summary>
    public async Task<bool> DeactivateByTokenHashAsync(IReadOnlyList<string> hashes, CancellationToken ct = default)
    {
        if (hashes.Count == 0) return false;
        var n = await db.WriteAsync(
            "UPDATE sessions SET active = @no, updated_at = @now WHERE nid = @nid AND token_hash IN @hashes",
            new { no = false, now = DateTime.UtcNow, nid = Database.DefaultNetworkId, hashes }, ct);
        db.Changes.SessionTokens(hashes);
        return n > 0;
    }

    /// <summary>Applies a refresh login to an active session (and records a new device); false when the session is gone or ended.</summary>
    public async Task<bool> RefreshAsync(DbConnection c, DbTransaction? tx, SessionRefresh r, SessionDevice? device, CancellationToken ct = default)
    {
        var updated = await c.ExecuteAsync(new SqlStatement(
            """
            UPDATE sessions SET aal = @Aal, authentication_methods = @Methods, authenticated_at = @AuthenticatedAt,
                expires_at = @ExpiresAt, updated_at = @Now
            WHERE nid = @Nid AND id = @Id AND active = @Yes
            """,
            new
            {
                r.Aal, Methods = SessionRows.MethodsToJson(r.Methods), r.AuthenticatedAt, r.ExpiresAt, r.Now,
                Nid = Database.DefaultNetworkId, r.Id, Yes = true,
            }, tx, cancellationToken: ct));
        db.Changes.Session(r.Id);
        if (updated == 0) return false;
        if (device is not null) await AddDevice(new SqlBatch(), r.Id, device, r.Now).ExecuteAsync(c, tx, ct);
        return true;
    }

    /// <summary>Ends every active session of an identity but one; returns how many ended.</summary>
    public async Task<int> DeactivateOthersAsync(Guid identityId, Guid keepSessionId, CancellationToken ct = default)
    {
        var n = await db.WriteAsync(
            "UPDATE sessions SET active = @no, updated_at = @now WHERE nid = @nid AND identity_id = @identityId AND id <> @keep AND active = @yes",
            new { no = false, yes = true, now = DateTime.UtcNow, nid = Database.DefaultNetworkId, identityId, keep = keepSessionId }, ct);
        db.Changes.Identity(identityId);
        return n;
    }

    /// <summary>Ends a session of this identity (disableMySession); false when the identity has no such session.</summary>
    public async Task<bool> DeactivateOwnAsync(Guid identityId, Guid sessionId, CancellationToken ct = default)
    {
        var n = await db.WriteAsync(
            "UPDATE sessions SET active = @no, updated_at = @now WHERE nid = @nid AND id = @id AND identity_id = @identityId",
            new { no = false, now = DateTime.UtcNow, nid = Database.DefaultNetworkId, id = sessionId, identityId }, ct);
        db.Changes.Session(sessionId);
        return n > 0;
    }

    /// <summary>
    /// Moves expires_at to <paramref name="newExpiry"/> when it is currently before <paramref name="bound"/>
    /// (one conditional UPDATE, so concurrent extends cannot shorten a session). Null when the session does not
    /// exist, false when it exists but was not due for an extension.
    /// </summary>
    public async Task<bool?> ExtendAsync(Guid sessionId, DateTime newExpiry, DateTime bound, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        var changed = await db.WriteAsync(
            "UPDATE sessions SET expires_at = @newExpiry, updated_at = @now WHERE nid = @nid AND id = @id AND expires_at < @bound",
            new { newExpiry, now, bound, nid = Database.DefaultNetworkId, id = sessionId }, ct);
        if (changed > 0)
        {
            db.Changes.Session(sessionId);
            return true;
        }
        await using var c = await db.OpenAsync(ct);
        var exists = await c.ExecuteScalarAsync<int>(new SqlStatement(
            "SELECT COUNT(*) FROM sessions WHERE nid = @nid AND id = @id", new { nid = Database.DefaultNetworkId, id = sessionId }, cancellationToken: ct));
        return exists > 0 ? false : null;
    }

    /// <summary>Deletes every session of an identity with its devices (deleteIdentitySessions); returns how many.</summary>
    public async Task<int> DeleteForIdentityAsync(Guid identityId, CancellationToken ct = default) =>
        await db.InTransactionAsync(async (c, tx) =>
        {
            var args = new { nid = Database.DefaultNetworkId, identityId };
            // Devices explicitly as well: the cascade is not something every SQLite build enforces.
            await c.ExecuteAsync(new SqlStatement(
                "DELETE FROM session_devices WHERE nid = @nid AND session_id IN (SELECT id FROM sessions WHERE nid = @nid AND identity_id = @identityId)",
                args, tx, cancellationToken: ct));
            var n = await c.ExecuteAsync(new SqlStatement(
                "DELETE FROM sessions WHERE nid = @nid AND identity_id = @identityId", args, tx, cancellationToken: ct));
            db.Changes.Identity(identityId);
            return n;
        }, ct);
}

/// <summary>The new state of a session after a refresh login.</summary>
public sealed record SessionRefresh(Guid Id, string Aal, IReadOnlyList<AuthenticationMethod> Methods, DateTime AuthenticatedAt, DateTime ExpiresAt, DateTime Now);
