using System.Data.Common;
using Warden.Persistence;
using Warden.Schemas;

namespace Warden.SelfService.Verification;

/// <summary>An address of an identity: who owns it and how it is reached.</summary>
public sealed record OwnedAddress(Guid IdentityId, string Via, string Value);

/// <summary>
/// Finds the identity behind a submitted address (verifiable addresses for verification, recovery addresses
/// for recovery) and marks addresses verified. Values are compared in the normalised form the identity
/// store keeps (lower-cased e-mail, digits-only phone numbers).
/// </summary>
public sealed class AddressLookup(Database db)
{
    public async Task<OwnedAddress?> FindAsync(AddressFlowKind kind, string submitted, CancellationToken ct = default)
    {
        var table = kind == AddressFlowKind.Verification ? "identity_verifiable_addresses" : "identity_recovery_addresses";
        var candidates = Candidates(submitted);
        if (candidates.Count == 0) return null;
        await using var c = await db.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<Row>(new SqlStatement(
            $"SELECT identity_id AS IdentityId, via AS Via, value AS Value FROM {table} WHERE nid = @nid AND value IN @candidates ORDER BY created_at",
            new { nid = Database.DefaultNetworkId, candidates = candidates.ToArray() }, cancellationToken: ct));
        return row is null ? null : new OwnedAddress(row.IdentityId, row.Via, row.Value);
    }

    /// <summary>
    /// Marks the identity's verifiable address <paramref name="via"/>/<paramref name="value"/> verified
    /// (status completed, verified_at now). False when the identity no longer has that address.
    /// </summary>
    public static async Task<bool> MarkVerifiedAsync(ChangeSignals changes, DbConnection c, DbTransaction tx, Guid identityId, string via, string value,
        CancellationToken ct = default)
    {
        var now = Now();
        var n = await c.ExecuteAsync(new SqlStatement(
            """
            UPDATE identity_verifiable_addresses SET verified = @yes, verified_at = COALESCE(verified_at, @now), status = 'completed', updated_at = @now
            WHERE nid = @nid AND identity_id = @identityId AND via = @via AND value = @value
            """,
            new { yes = true, now, nid = Database.DefaultNetworkId, identityId, via, value }, tx, cancellationToken: ct));
        changes.Identity(identityId);
        return n > 0;
    }

    /// <summary>Sets status <c>sent</c> on a still unverified address once a verification message is queued for it.</summary>
    public static async Task MarkSentAsync(ChangeSignals changes, DbConnection c, DbTransaction tx, OwnedAddress a, CancellationToken ct = default)
    {
        await c.ExecuteAsync(new SqlStatement(
            """
            UPDATE identity_verifiable_addresses SET status = 'sent', updated_at = @now
            WHERE nid = @nid AND identity_id = @identityId AND via = @via AND value = @value AND status = 'pending'
            """,
            new { now = Now(), nid = Database.DefaultNetworkId, identityId = a.IdentityId, via = a.Via, value = a.Value }, tx, cancellationToken: ct));
        changes.Identity(a.IdentityId);
    }

    /// <summary>The stored forms the submitted text could have: as an e-mail address and, if it looks like one, as a phone number.</summary>
    public static IReadOnlyList<string> Candidates(string submitted)
    {
        var list = new List<string>();
        var trimmed = submitted.Trim();
        if (trimmed.Length is 0 or > 512) return list;
        list.Add(TraitNormalization.Email(trimmed));
        if (trimmed.StartsWith('+') || trimmed.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '-' or '(' or ')'))
        {
            var phone = TraitNormalization.Phone(trimmed);
            if (!list.Contains(phone)) list.Add(phone);
        }
        return list;
    }

    private static DateTime Now()
    {
        var t = DateTime.UtcNow;
        return new DateTime(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
    }

    private sealed class Row
    {
        public Guid IdentityId { get; set; }
        public string Via { get; set; } = "";
        public string Value { get; set; } = "";
    }
}
