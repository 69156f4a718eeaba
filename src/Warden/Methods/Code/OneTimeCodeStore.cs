using System.Data.Common;
using Warden.Persistence;

namespace Warden.Methods.Code;

/// <summary>What a consumed code or token was issued for.</summary>
public sealed record ConsumedCode(Guid? FlowId, Guid? IdentityId, string? AddressVia, string? Address);

/// <summary>
/// <c>one_time_codes</c>: recovery/verification codes and link tokens as keyed hashes. Consuming is one
/// <c>UPDATE … WHERE used_at IS NULL … RETURNING</c>, so of several concurrent submissions of one code the
/// database lets exactly one through.
/// </summary>
public sealed class OneTimeCodeStore(Database db)
{
    public static class Kinds
    {
        public const string VerificationCode = "verification_code";
        public const string VerificationLink = "verification_link";
        public const string RecoveryCode = "recovery_code";
        public const string RecoveryLink = "recovery_link";
    }

    public async Task InsertAsync(string kind, Guid? flowId, Guid? identityId, string? via, string? address, string hash,
        DateTime expiresAt, DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        var cmd = new SqlStatement(
            """
            INSERT INTO one_time_codes (id, nid, kind, flow_id, identity_id, address_via, address, code_hash, used_at, expires_at, created_at, updated_at)
            VALUES (@id, @nid, @kind, @flowId, @identityId, @via, @address, @hash, NULL, @expiresAt, @now, @now)
            """,
            new { id = RowIds.New(), nid = Database.DefaultNetworkId, kind, flowId, identityId, via, address, hash, expiresAt, now },
            tx, cancellationToken: ct);
        if (c is not null)
        {
            await c.ExecuteAsync(cmd);
            return;
        }
        await db.WriteAsync(own => own.ExecuteAsync(cmd), ct);
    }

    /// <summary>Marks every unused code of a flow as used (a re-sent code replaces the earlier ones).</summary>
    public async Task InvalidateFlowAsync(Guid flowId, DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        var cmd = new SqlStatement(
            "UPDATE one_time_codes SET used_at = @now, updated_at = @now WHERE nid = @nid AND flow_id = @flowId AND used_at IS NULL",
            new { now, nid = Database.DefaultNetworkId, flowId }, tx, cancellationToken: ct);
        if (c is not null)
        {
            await c.ExecuteAsync(cmd);
            return;
        }
        await db.WriteAsync(own => own.ExecuteAsync(cmd), ct);
    }

    /// <summary>
    /// Uses an unexpired, unused code of <paramref name="kind"/> whose hash is one of <paramref name="hashes"/>
    /// (restricted to <paramref name="flowId"/> when given). Null when none: wrong, used, expired or lost a race.
    /// </summary>
    public async Task<ConsumedCode?> ConsumeAsync(string kind, Guid? flowId, IReadOnlyList<string> hashes, DbConnection c, DbTransaction tx,
        CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        var row = await c.QueryFirstOrDefaultAsync<Row>(new SqlStatement(
            $"""
            UPDATE one_time_codes SET used_at = @now, updated_at = @now
            WHERE nid = @nid AND kind = @kind AND code_hash IN @hashes AND used_at IS NULL AND expires_at > @now
            {(flowId is null ? "" : "AND flow_id = @flowId")}
            RETURNING flow_id AS FlowId, identity_id AS IdentityId, address_via AS AddressVia, address AS Address
            """,
            new { now, nid = Database.DefaultNetworkId, kind, hashes = hashes.ToArray(), flowId }, tx, cancellationToken: ct));
        return row is null ? null : new ConsumedCode(row.FlowId, row.IdentityId, row.AddressVia, row.Address);
    }

    private sealed class Row
    {
        public Guid? FlowId { get; set; }
        public Guid? IdentityId { get; set; }
        public string? AddressVia { get; set; }
        public string? Address { get; set; }
    }
}
