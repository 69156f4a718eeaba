using System.Data.Common;
using Warden.Identities;
using Warden.Persistence;

namespace Warden.Sessions;

/// <summary>What a session listing asks for; <see cref="After"/> (keyset) and <see cref="Offset"/> (legacy) exclude each other.</summary>
public sealed record SessionQuery
{
    public Guid? IdentityId { get; init; }
    /// <summary>Leave this session out (listMySessions: the caller's own).</summary>
    public Guid? ExceptId { get; init; }
    /// <summary>true: active and unexpired; false: ended or expired; null: all.</summary>
    public bool? Active { get; init; }
    public Guid? After { get; init; }
    public int? Offset { get; init; }
    public int PageSize { get; init; } = 250;
    public bool ExpandIdentity { get; init; }
    public bool ExpandDevices { get; init; }
}

public sealed record SessionPage(IReadOnlyList<Session> Items, bool HasMore);

/// <summary>
/// Session reads for the listing and admin endpoints, ordered by id (keyset paging). Identities and devices
/// are loaded for a whole page at once, so a page costs at most three queries whatever its size.
/// </summary>
public sealed class SessionListStore(Database db, IdentityService identities)
{
    private const string Columns = """
        s.id AS Id, s.identity_id AS IdentityId, s.active AS Active, s.aal AS Aal, s.authentication_methods AS Methods,
        s.authenticated_at AS AuthenticatedAt, s.issued_at AS IssuedAt, s.expires_at AS ExpiresAt
        """;

    public async Task<SessionPage> ListAsync(SessionQuery q, CancellationToken ct = default)
    {
        var where = new List<string> { "s.nid = @nid" };
        var p = new SqlParameters(new { nid = Database.DefaultNetworkId, now = DateTime.UtcNow, yes = true, no = false, limit = q.PageSize + 1 });
        if (q.IdentityId is { } identity) { where.Add("s.identity_id = @identity"); p.Add("identity", identity); }
        if (q.ExceptId is { } except) { where.Add("s.id <> @except"); p.Add("except", except); }
        if (q.Active == true) where.Add("s.active = @yes AND s.expires_at > @now");
        if (q.Active == false) where.Add("(s.active = @no OR s.expires_at <= @now)");
        if (q.After is { } after) { where.Add("s.id > @after"); p.Add("after", after); }
        var limit = "LIMIT @limit";
        if (q.Offset is { } offset) { limit += " OFFSET @offset"; p.Add("offset", offset); }
        var sql = $"SELECT {Columns} FROM sessions s WHERE {string.Join(" AND ", where)} ORDER BY s.id {limit}";
        List<Session> list;
        bool more;
        await using (var c = await db.OpenAsync(ct))
        {
            list = (await c.QueryAsync<Row>(new SqlStatement(sql, p, cancellationToken: ct))).Select(ToSession).ToList();
            more = list.Count > q.PageSize;
            if (more) list.RemoveAt(list.Count - 1);
            if (q.ExpandDevices) await LoadDevicesAsync(c, list, ct);
        }
        // After the connection went back: the identity read takes one of its own, and a request never holds two
        // (with a small pool, requests each holding one and waiting for a second would wait on each other).
        if (q.ExpandIdentity) await LoadIdentitiesAsync(list, ct);
        return new SessionPage(list, more);
    }

    /// <summary>One session by id, whatever its state; null when unknown.</summary>
    public async Task<Session?> GetAsync(Guid id, bool expandIdentity, bool expandDevices, CancellationToken ct = default)
    {
        Session session;
        await using (var c = await db.OpenAsync(ct))
        {
            var row = await c.QuerySingleOrDefaultAsync<Row>(new SqlStatement(
                $"SELECT {Columns} FROM sessions s WHERE s.nid = @nid AND s.id = @id",
                new { nid = Database.DefaultNetworkId, id }, cancellationToken: ct));
            if (row is null) return null;
            session = ToSession(row);
            if (expandDevices) await LoadDevicesAsync(c, [session], ct);
        }
        if (expandIdentity) await LoadIdentitiesAsync([session], ct);
        return session;
    }

    /// <summary>True when the identity exists (listing the sessions of an unknown identity is a 404, not an empty list).</summary>
    public async Task<bool> IdentityExistsAsync(Guid identityId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<int>(new SqlStatement(
            "SELECT COUNT(*) FROM identities WHERE nid = @nid AND id = @id",
            new { nid = Database.DefaultNetworkId, id = identityId }, cancellationToken: ct)) > 0;
    }

    private static async Task LoadDevicesAsync(DbConnection c, List<Session> sessions, CancellationToken ct)
    {
        if (sessions.Count == 0) return;
        var rows = await c.QueryAsync<DeviceRow>(new SqlStatement(
            """
            SELECT d.session_id AS SessionId, d.id AS Id, d.ip_address AS IpAddress, d.user_agent AS UserAgent, d.location AS Location
            FROM session_devices d WHERE d.nid = @nid AND d.session_id IN @ids ORDER BY d.created_at, d.id
            """, new { nid = Database.DefaultNetworkId, ids = sessions.Select(s => s.Id).ToList() }, cancellationToken: ct));
        var bySession = sessions.ToDictionary(s => s.Id);
        foreach (var d in rows)
            if (bySession.TryGetValue(d.SessionId, out var s))
                s.Devices.Add(new SessionDevice { Id = d.Id, IpAddress = d.IpAddress, UserAgent = d.UserAgent, Location = d.Location });
    }

    private async Task LoadIdentitiesAsync(List<Session> sessions, CancellationToken ct)
    {
        var ids = sessions.Select(s => s.IdentityId).Distinct().ToList();
        if (ids.Count == 0) return;
        var page = await identities.ListAsync(new IdentityQuery { Ids = ids, PageSize = ids.Count }, ct);
        var byId = page.Items.ToDictionary(i => i.Id);
        foreach (var s in sessions) s.Identity = byId.GetValueOrDefault(s.IdentityId);
    }

    private static Session ToSession(Row r) => new()
    {
        Id = r.Id,
        IdentityId = r.IdentityId,
        Active = r.Active,
        Aal = r.Aal,
        AuthenticationMethods = SessionRows.MethodsFromJson(r.Methods),
        AuthenticatedAt = r.AuthenticatedAt,
        IssuedAt = r.IssuedAt,
        ExpiresAt = r.ExpiresAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid IdentityId { get; set; }
        public bool Active { get; set; }
        public string Aal { get; set; } = "aal1";
        public string? Methods { get; set; }
        public DateTime AuthenticatedAt { get; set; }
        public DateTime IssuedAt { get; set; }
        public DateTime ExpiresAt { get; set; }
    }

    internal sealed class DeviceRow
    {
        public Guid SessionId { get; set; }
        public Guid Id { get; set; }
        public string? IpAddress { get; set; }
        public string? UserAgent { get; set; }
        public string? Location { get; set; }
    }
}
