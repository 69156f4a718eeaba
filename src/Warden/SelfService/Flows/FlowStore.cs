using System.Text.Json.Nodes;
using Warden.Http;
using Warden.Identities;
using Warden.Persistence;

namespace Warden.SelfService.Flows;

/// <summary>Reads and writes login/registration flows in <c>selfservice_flows</c> (the other kinds have their own stores).</summary>
public sealed class FlowStore(Database db)
{
    public async Task InsertAsync(Flow flow, CancellationToken ct = default)
    {
        // Serialized before the write gate (SQLite): the gate is held only for the statement.
        var p = Params(flow, Snapshot(flow));
        await db.WriteAsync(
            """
            INSERT INTO selfservice_flows (id, nid, kind, type, state, identity_id, session_id, csrf_token, data, expires_at, issued_at, created_at, updated_at)
            VALUES (@Id, @Nid, @Kind, @Type, @State, NULL, @SessionId, @Csrf, @Data, @ExpiresAt, @IssuedAt, @CreatedAt, @UpdatedAt)
            """,
            p, ct);
    }

    public Task UpdateAsync(Flow flow, CancellationToken ct = default) => db.AtomicAsync(AddUpdate(new SqlBatch(), flow), ct);

    /// <summary>Adds the flow's update to <paramref name="batch"/>, to be written together with other rows (e.g. the session a login ends in).</summary>
    public static SqlBatch AddUpdate(SqlBatch batch, Flow flow) => AddUpdate(batch, flow, out _);

    /// <summary>As <see cref="AddUpdate(SqlBatch, Flow)"/>; <paramref name="stored"/> is what it writes (see <see cref="Snapshot"/>).</summary>
    public static SqlBatch AddUpdate(SqlBatch batch, Flow flow, out string stored)
    {
        flow.UpdatedAt = DateTime.UtcNow;
        stored = Snapshot(flow);
        return batch.Add("UPDATE selfservice_flows SET state = @State, data = @Data, updated_at = @UpdatedAt WHERE id = @Id AND nid = @Nid",
            Params(flow, stored));
    }

    /// <summary>The flow's stored form, to tell whether it changed since it was written.</summary>
    public static string Snapshot(Flow flow) => flow.ToStored().ToJsonString(WardenJson.Options);

    /// <summary>The flow of this kind, or null (unknown ids and ids of another flow kind look the same).</summary>
    public async Task<Flow?> GetAsync(FlowKind kind, Guid id, CancellationToken ct = default) =>
        await ReadStoredAsync(db, KindName(kind), id, ct) is { } row ? Flow.FromStored(kind, row.Data, row.Csrf) : null;

    /// <summary>
    /// The flow, and the identity <paramref name="lookup"/> names, read by one command: a login needs both and
    /// neither read depends on the other (flow id from the URL, identifier from the body), so a database across a
    /// network costs one round trip here, not two. The identity is read whether or not the flow exists or accepts
    /// the submission; the gate answers for the flow first.
    /// </summary>
    public async Task<(Flow? Flow, IdentityPrefetch Prefetched)> GetAsync(FlowKind kind, Guid id, IdentityLookup lookup, CancellationToken ct = default)
    {
        var p = new SqlParameters(SelectParams(kind, id));
        var sql = SelectSql + ";\n" + IdentityStore.LookupSql(lookup, p);
        await using var c = await db.OpenAsync(ct);
        using var grid = await c.QueryMultipleAsync(new SqlStatement(sql, p, cancellationToken: ct));
        var rows = await grid.ReadAsync<(string Data, string Csrf)>();
        var found = await IdentityStore.ReadLookupAsync(grid);
        var flow = rows.Count == 0 ? null : Parse(kind, rows[0]);
        return (flow, new IdentityPrefetch(lookup, found));
    }

    private const string SelectSql = "SELECT data, csrf_token FROM selfservice_flows WHERE id = @id AND nid = @nid AND kind = @kind";

    /// <summary>
    /// The stored form and CSRF fingerprint of the flow with this id and <c>kind</c> column value, or null (unknown
    /// ids and ids of another flow kind look the same): the read each flow store makes before parsing its own type.
    /// </summary>
    public static async Task<(JsonObject Data, string Csrf)?> ReadStoredAsync(Database db, string kind, Guid id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Data, string Csrf)>(
            new SqlStatement(SelectSql, new { id, nid = Database.DefaultNetworkId, kind }, cancellationToken: ct));
        return row.Data is null ? null : (JsonNode.Parse(row.Data)!.AsObject(), row.Csrf);
    }

    private static Flow Parse(FlowKind kind, (string Data, string Csrf) row) => Flow.FromStored(kind, JsonNode.Parse(row.Data)!.AsObject(), row.Csrf);

    private static object SelectParams(FlowKind kind, Guid id) => new { id, nid = Database.DefaultNetworkId, kind = KindName(kind) };

    /// <summary>Parses a <c>flow</c>/<c>id</c> query value; anything but a UUID is a 400 like in Kratos.</summary>
    public static Guid ParseId(string? value, string parameter)
    {
        if (string.IsNullOrEmpty(value)) throw ApiException.BadRequest($"The '{parameter}' query parameter is required.");
        if (!Guid.TryParse(value, out var id)) throw ApiException.BadRequest($"The '{parameter}' query parameter is not a valid UUID.");
        return id;
    }

    /// <summary>The <c>kind</c> column value and URL segment of a flow kind.</summary>
    public static string KindName(FlowKind kind) => kind switch
    {
        FlowKind.Login => "login",
        FlowKind.Registration => "registration",
        FlowKind.Settings => "settings",
        FlowKind.Recovery => "recovery",
        FlowKind.Verification => "verification",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static object Params(Flow f, string data) => new
    {
        f.Id,
        Nid = Database.DefaultNetworkId,
        Kind = KindName(f.Kind),
        f.Type,
        f.State,
        f.SessionId,
        Csrf = f.CsrfFingerprint,
        Data = data,
        f.ExpiresAt,
        f.IssuedAt,
        f.CreatedAt,
        f.UpdatedAt,
    };
}
