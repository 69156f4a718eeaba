using System.Data.Common;
using Warden.Http;
using Warden.Persistence;
using Warden.SelfService.Flows;

namespace Warden.SelfService.Verification;

/// <summary>Reads and writes verification/recovery flows in <c>selfservice_flows</c> (kind verification|recovery).</summary>
public sealed class AddressFlowStore(Database db)
{
    public Database Database => db;

    public async Task InsertAsync(AddressFlow flow, DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        const string sql = """
            INSERT INTO selfservice_flows (id, nid, kind, type, state, identity_id, session_id, csrf_token, data, expires_at, issued_at, created_at, updated_at)
            VALUES (@Id, @Nid, @Kind, @Type, @State, @IdentityId, NULL, @Csrf, @Data, @ExpiresAt, @IssuedAt, @CreatedAt, @UpdatedAt)
            """;
        if (c is not null)
        {
            await c.ExecuteAsync(new SqlStatement(sql, Params(flow), tx, cancellationToken: ct));
            return;
        }
        var p = Params(flow);
        await db.WriteAsync(own => own.ExecuteAsync(new SqlStatement(sql, p, cancellationToken: ct)), ct);
    }

    /// <summary>
    /// Stores the flow. A flow that passed its challenge is final: a slower concurrent submission that failed
    /// must not overwrite it, so only the transition into <c>passed_challenge</c> may touch such a row.
    /// Returns false when the row was final already.
    /// </summary>
    public async Task<bool> UpdateAsync(AddressFlow flow, DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        flow.UpdatedAt = DateTime.UtcNow;
        const string sql = """
            UPDATE selfservice_flows SET state = @State, identity_id = @IdentityId, data = @Data, updated_at = @UpdatedAt
            WHERE id = @Id AND nid = @Nid AND kind = @Kind AND state <> 'passed_challenge'
            """;
        if (c is not null) return await c.ExecuteAsync(new SqlStatement(sql, Params(flow), tx, cancellationToken: ct)) == 1;
        var p = Params(flow);
        return await db.WriteAsync(own => own.ExecuteAsync(new SqlStatement(sql, p, cancellationToken: ct)), ct) == 1;
    }

    public async Task<AddressFlow?> GetAsync(AddressFlowKind kind, Guid id, CancellationToken ct = default) =>
        await FlowStore.ReadStoredAsync(db, AddressFlow.KindName(kind), id, ct) is { } row ? AddressFlow.FromStored(kind, row.Data, row.Csrf) : null;

    /// <summary>
    /// Counts one code submission and returns the new count, in a single statement: concurrent guesses each
    /// get their own number, so no more than the allowed number are ever checked.
    /// </summary>
    public async Task<int> CountSubmissionAsync(Guid id, CancellationToken ct = default)
    {
        return await db.WriteAsync(c => c.ExecuteScalarAsync<int>(new SqlStatement(
            "UPDATE selfservice_flows SET submit_count = submit_count + 1 WHERE id = @id AND nid = @nid RETURNING submit_count",
            new { id, nid = Database.DefaultNetworkId }, cancellationToken: ct)), ct);
    }

    private static object Params(AddressFlow f) => new
    {
        f.Id,
        Nid = Database.DefaultNetworkId,
        Kind = f.Segment,
        f.Type,
        f.State,
        f.IdentityId,
        Csrf = f.CsrfFingerprint,
        Data = f.ToStored().ToJsonString(WardenJson.Options),
        f.ExpiresAt,
        f.IssuedAt,
        f.CreatedAt,
        f.UpdatedAt,
    };
}
