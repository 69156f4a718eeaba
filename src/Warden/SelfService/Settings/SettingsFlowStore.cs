using System.Data.Common;
using Warden.Http;
using Warden.Persistence;
using Warden.SelfService.Flows;

namespace Warden.SelfService.Settings;

/// <summary>Settings flows in <c>selfservice_flows</c> (kind <c>settings</c>, owner in <c>identity_id</c>).</summary>
public sealed class SettingsFlowStore(Database db)
{
    private const string Kind = "settings";

    public async Task InsertAsync(SettingsFlow flow, CancellationToken ct = default)
    {
        await db.WriteAsync(async c => { await InsertAsync(c, null, flow, ct); return 0; }, ct);
    }

    /// <summary>Inserts inside the caller's transaction (e.g. the recovery that hands over to this flow).</summary>
    public async Task InsertAsync(DbConnection c, DbTransaction? tx, SettingsFlow flow, CancellationToken ct = default)
    {
        await c.ExecuteAsync(new SqlStatement(
            """
            INSERT INTO selfservice_flows (id, nid, kind, type, state, identity_id, session_id, csrf_token, data, expires_at, issued_at, created_at, updated_at)
            VALUES (@Id, @Nid, @Kind, @Type, @State, @IdentityId, NULL, @Csrf, @Data, @ExpiresAt, @IssuedAt, @CreatedAt, @UpdatedAt)
            """,
            Params(flow), tx, cancellationToken: ct));
    }

    public async Task UpdateAsync(SettingsFlow flow, CancellationToken ct = default)
    {
        flow.UpdatedAt = DateTime.UtcNow;
        await db.WriteAsync(
            "UPDATE selfservice_flows SET state = @State, data = @Data, updated_at = @UpdatedAt WHERE id = @Id AND nid = @Nid AND kind = @Kind",
            Params(flow), ct);
    }

    /// <summary>The settings flow, or null (unknown ids and ids of other flow kinds look the same).</summary>
    public async Task<SettingsFlow?> GetAsync(Guid id, CancellationToken ct = default) =>
        await FlowStore.ReadStoredAsync(db, Kind, id, ct) is { } row ? SettingsFlow.FromStored(row.Data, row.Csrf) : null;

    private static object Params(SettingsFlow f) => new
    {
        f.Id,
        Nid = Database.DefaultNetworkId,
        Kind,
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
