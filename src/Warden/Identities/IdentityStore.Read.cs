using System.Data.Common;
using System.Text.Json.Nodes;
using Warden.Persistence;

namespace Warden.Identities;

/// <summary>
/// Reads. Every read is one database round trip: a single command holding one SELECT per table, each
/// restricted to the same identity set (a sub-select), read back with QueryMultipleAsync.
/// </summary>
public sealed partial class IdentityStore
{
    public async Task<Identity?> GetAsync(Guid id, bool withCredentials, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await GetAsync(c, null, id, withCredentials, ct);
    }

    /// <summary>Read on the caller's connection (inside its transaction when given).</summary>
    public async Task<Identity?> GetAsync(DbConnection c, DbTransaction? tx, Guid id, bool withCredentials, CancellationToken ct = default) =>
        (await LoadAsync(c, tx, "i.id = @id", new { nid = Nid, id }, "", withCredentials, false, ct)).SingleOrDefault();

    /// <summary>The identity with credentials, its row locked (PostgreSQL) until the transaction ends.</summary>
    public async Task<Identity?> GetForUpdateAsync(DbConnection c, DbTransaction tx, Guid id, CancellationToken ct = default)
    {
        var list = await LoadAsync(c, tx, "i.id = @id", new { nid = Nid, id }, "", true, db.Dialect == Dialect.Postgres, ct);
        return list.SingleOrDefault();
    }

    public async Task<Identity?> GetByExternalIdAsync(string externalId, bool withCredentials, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await LoadAsync(c, null, "i.external_id = @ext", new { nid = Nid, ext = externalId }, "", withCredentials, false, ct);
        return list.SingleOrDefault();
    }

    /// <summary>The identity owning credential <paramref name="type"/> with exactly one of these identifiers (first match wins).</summary>
    public async Task<Identity?> FindByIdentifierAsync(string type, IReadOnlyList<string> candidates, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        foreach (var identifier in candidates.Distinct(StringComparer.Ordinal))
        {
            var list = await LoadAsync(c, null, ByIdentifier("@type", "@identifier"), new { nid = Nid, type, identifier }, "", true, false, ct);
            if (list.Count > 0) return list[0];
        }
        return null;
    }

    /// <summary>One page of identities ordered by id, fetched in a single round trip.</summary>
    public async Task<IdentityPage> ListAsync(IdentityQuery q, CancellationToken ct = default)
    {
        var where = new List<string>();
        var p = new SqlParameters();
        p.Add("nid", Nid);
        if (q.After is { } after) { where.Add("i.id > @after"); p.Add("after", after); }
        if (q.Identifier is { } ident)
        {
            where.Add("i.id IN (SELECT x.identity_id FROM identity_credential_identifiers x WHERE x.nid = @nid AND x.identifier = @ident)");
            p.Add("ident", ident);
        }
        if (q.IdentifierPrefix is { } prefix)
        {
            // Stored e-mail identifiers are lower-case while other identifiers keep their case: try both
            // spellings of the prefix, each of which can use the identifier index.
            where.Add(@"i.id IN (SELECT x.identity_id FROM identity_credential_identifiers x WHERE x.nid = @nid AND (x.identifier LIKE @prefix ESCAPE '\' OR x.identifier LIKE @prefixLower ESCAPE '\'))");
            p.Add("prefix", EscapeLike(prefix) + "%");
            p.Add("prefixLower", EscapeLike(prefix.ToLowerInvariant()) + "%");
        }
        if (q.Ids is { } ids)
        {
            if (ids.Count == 0) return new IdentityPage([], false);
            where.Add("i.id IN @ids");
            p.Add("ids", ids);
        }
        if (q.OrganizationId is { } org) { where.Add("i.organization_id = @org"); p.Add("org", org); }
        // One extra row tells whether another page follows.
        p.Add("limit", q.PageSize + 1);
        var limit = "LIMIT @limit";
        if (q.Offset is { } offset) { limit += " OFFSET @offset"; p.Add("offset", offset); }
        await using var c = await db.OpenAsync(ct);
        var list = await LoadAsync(c, null, where.Count == 0 ? "1 = 1" : string.Join(" AND ", where), p, limit, q.WithCredentials, false, ct);
        var more = list.Count > q.PageSize;
        return new IdentityPage(more ? list.Take(q.PageSize).ToList() : list, more);
    }

    /// <summary>
    /// The read of <paramref name="lookup"/>'s first identifier as SQL to append to another command (a login's flow
    /// read, so both come back in one round trip). Its parameters are added to <paramref name="p"/>, which must bind
    /// <c>@nid</c> to the default network as well; read its result sets with <see cref="ReadLookupAsync"/> after the
    /// command's own.
    /// </summary>
    public static string LookupSql(IdentityLookup lookup, SqlParameters p)
    {
        p.Add("lookupType", lookup.CredentialType);
        p.Add("lookupIdentifier", lookup.Identifier);
        return LoadSql(ByIdentifier("@lookupType", "@lookupIdentifier"), "", withCredentials: true, lockRow: false);
    }

    /// <summary>The identity a <see cref="LookupSql"/> part of a command found, or null.</summary>
    public static async Task<Identity?> ReadLookupAsync(SqlResultSets grid) => (await ReadAsync(grid, withCredentials: true)).FirstOrDefault();

    private static string ByIdentifier(string type, string identifier) =>
        $"i.id IN (SELECT x.identity_id FROM identity_credential_identifiers x WHERE x.nid = @nid AND x.type = {type} AND x.identifier = {identifier})";

    private static string EscapeLike(string s) => s.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private static async Task<List<Identity>> LoadAsync(DbConnection c, DbTransaction? tx, string where, object param, string limit,
        bool withCredentials, bool lockRow, CancellationToken ct)
    {
        var sql = LoadSql(where, limit, withCredentials, lockRow);
        using var grid = await c.QueryMultipleAsync(new SqlStatement(sql, param, tx, cancellationToken: ct));
        return await ReadAsync(grid, withCredentials);
    }

    /// <summary>Reads the result sets of <see cref="LoadSql"/> from <paramref name="grid"/>.</summary>
    private static async Task<List<Identity>> ReadAsync(SqlResultSets grid, bool withCredentials)
    {
        var identities = (await grid.ReadAsync<IdentityRow>()).Select(r => r.ToIdentity()).ToList();
        var byId = identities.ToDictionary(i => i.Id);
        foreach (var a in await grid.ReadAsync<VerifiableRow>())
            if (byId.TryGetValue(a.IdentityId, out var i)) i.VerifiableAddresses.Add(a.ToAddress());
        foreach (var a in await grid.ReadAsync<RecoveryRow>())
            if (byId.TryGetValue(a.IdentityId, out var i)) i.RecoveryAddresses.Add(a.ToAddress());
        if (!withCredentials) return identities;
        var creds = new Dictionary<Guid, Credential>();
        foreach (var r in await grid.ReadAsync<CredentialRow>())
        {
            if (!byId.TryGetValue(r.IdentityId, out var i)) continue;
            var cred = r.ToCredential();
            i.Credentials[cred.Type] = cred;
            creds[cred.Id] = cred;
        }
        foreach (var x in await grid.ReadAsync<IdentifierRow>())
            if (creds.TryGetValue(x.CredentialId, out var cred)) cred.Identifiers.Add(x.Identifier);
        return identities;
    }

    /// <summary>
    /// The one command a read sends. Address and identifier tables are restricted only through the identity
    /// set (already limited to this nid): a redundant <c>nid = @nid</c> on them lets SQLite's planner, which has
    /// no statistics, pick the (nid, …) unique index and scan every row of the tenant instead of seeking by
    /// identity_id. Credentials keep it because their only index is (nid, identity_id, type).
    /// IdentityQueryPlanTests pins this.
    /// </summary>
    internal static string LoadSql(string where, string limit, bool withCredentials, bool lockRow)
    {
        var set = $"SELECT i.id FROM identities i WHERE i.nid = @nid AND ({where}) ORDER BY i.id {limit}";
        var sql = $"""
            SELECT i.id AS Id, i.schema_id AS SchemaId, i.traits AS Traits, i.state AS State, i.state_changed_at AS StateChangedAt,
                i.metadata_public AS MetadataPublic, i.metadata_admin AS MetadataAdmin, i.external_id AS ExternalId,
                i.organization_id AS OrganizationId, i.created_at AS CreatedAt, i.updated_at AS UpdatedAt
            FROM identities i WHERE i.nid = @nid AND ({where}) ORDER BY i.id {limit}{(lockRow ? " FOR UPDATE" : "")};
            SELECT a.id AS Id, a.identity_id AS IdentityId, a.via AS Via, a.value AS Value, a.verified AS Verified, a.verified_at AS VerifiedAt,
                a.status AS Status, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt
            FROM identity_verifiable_addresses a WHERE a.identity_id IN ({set}) ORDER BY a.id;
            SELECT r.id AS Id, r.identity_id AS IdentityId, r.via AS Via, r.value AS Value, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt
            FROM identity_recovery_addresses r WHERE r.identity_id IN ({set}) ORDER BY r.id;
            """;
        if (withCredentials)
            sql += $"""

                SELECT cr.id AS Id, cr.identity_id AS IdentityId, cr.type AS Type, cr.config AS Config, cr.version AS Version,
                    cr.created_at AS CreatedAt, cr.updated_at AS UpdatedAt
                FROM identity_credentials cr WHERE cr.nid = @nid AND cr.identity_id IN ({set});
                SELECT x.identity_credential_id AS CredentialId, x.identifier AS Identifier
                FROM identity_credential_identifiers x WHERE x.identity_id IN ({set}) ORDER BY x.identifier;
                """;
        return sql;
    }

    private static JsonNode? ParseJson(string? text) => text is null ? null : JsonNode.Parse(text);

    private sealed class IdentityRow
    {
        public Guid Id { get; set; }
        public string SchemaId { get; set; } = "";
        public string Traits { get; set; } = "{}";
        public string State { get; set; } = "active";
        public DateTime? StateChangedAt { get; set; }
        public string? MetadataPublic { get; set; }
        public string? MetadataAdmin { get; set; }
        public string? ExternalId { get; set; }
        public Guid? OrganizationId { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }

        public Identity ToIdentity() => new()
        {
            Id = Id, SchemaId = SchemaId, Traits = ParseJson(Traits) ?? new JsonObject(), State = State, StateChangedAt = StateChangedAt,
            MetadataPublic = ParseJson(MetadataPublic), MetadataAdmin = ParseJson(MetadataAdmin), ExternalId = ExternalId,
            OrganizationId = OrganizationId, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }

    private sealed class CredentialRow
    {
        public Guid Id { get; set; }
        public Guid IdentityId { get; set; }
        public string Type { get; set; } = "";
        public string Config { get; set; } = "{}";
        public int Version { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }

        public Credential ToCredential() => new()
        {
            Id = Id, Type = Type, Config = ParseJson(Config) as JsonObject ?? new JsonObject(), Version = Version,
            CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }

    private sealed class IdentifierRow
    {
        public Guid CredentialId { get; set; }
        public string Identifier { get; set; } = "";
    }

    private sealed class VerifiableRow
    {
        public Guid Id { get; set; }
        public Guid IdentityId { get; set; }
        public string Via { get; set; } = "";
        public string Value { get; set; } = "";
        public bool Verified { get; set; }
        public DateTime? VerifiedAt { get; set; }
        public string Status { get; set; } = "";
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }

        public VerifiableAddress ToAddress() => new()
        {
            Id = Id, Via = Via, Value = Value, Verified = Verified, VerifiedAt = VerifiedAt, Status = Status,
            CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }

    private sealed class RecoveryRow
    {
        public Guid Id { get; set; }
        public Guid IdentityId { get; set; }
        public string Via { get; set; } = "";
        public string Value { get; set; } = "";
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }

        public RecoveryAddress ToAddress() => new() { Id = Id, Via = Via, Value = Value, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt };
    }
}

/// <summary>What <see cref="IdentityStore.ListAsync"/> filters and how much it returns. Null filters are off; set ones are combined.</summary>
public sealed record IdentityQuery
{
    public int PageSize { get; init; } = 250;
    /// <summary>Keyset paging: only ids greater than this.</summary>
    public Guid? After { get; init; }
    /// <summary>Legacy offset paging (<c>page</c>/<c>per_page</c>).</summary>
    public int? Offset { get; init; }
    /// <summary>Exact, already normalised identifier of any credential type.</summary>
    public string? Identifier { get; init; }
    public string? IdentifierPrefix { get; init; }
    public IReadOnlyList<Guid>? Ids { get; init; }
    public Guid? OrganizationId { get; init; }
    public bool WithCredentials { get; init; }
}

public sealed record IdentityPage(IReadOnlyList<Identity> Items, bool HasMore);
