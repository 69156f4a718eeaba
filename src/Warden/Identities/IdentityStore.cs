using System.Data.Common;
using System.Text.Json.Nodes;
using Warden.Persistence;

namespace Warden.Identities;

/// <summary>
/// Identities, their credentials, identifiers and addresses in the database (both dialects). It stores what
/// it is given: deriving identifiers and addresses is <see cref="IdentityService"/>'s job. Writes run inside
/// the caller's transaction so a failure at any row leaves nothing behind; uniqueness is decided by the
/// database's unique indexes and surfaces as <see cref="DuplicateIdentifierException"/>.
/// Reads are in <c>IdentityStore.Read.cs</c>.
/// </summary>
public sealed partial class IdentityStore(Database db)
{
    private static readonly Guid Nid = Database.DefaultNetworkId;

    public Database Database => db;

    /// <summary>
    /// Inserts the identity with everything it carries, and what <paramref name="alongside"/> adds, all or nothing
    /// (one round trip on PostgreSQL).
    /// </summary>
    public Task InsertAsync(Identity identity, Func<SqlBatch, SqlBatch>? alongside = null, CancellationToken ct = default)
    {
        var batch = InsertBatch(identity);
        return db.AtomicAsync(alongside is null ? batch : alongside(batch), ct);
    }

    /// <summary>Inserts the identity with everything it carries inside the caller's transaction.</summary>
    public Task InsertAsync(DbConnection c, DbTransaction tx, Identity i, CancellationToken ct = default) =>
        InsertBatch(i).ExecuteAsync(c, tx, ct);

    /// <summary>The identity row, its credentials, identifiers and addresses as one batch of INSERTs.</summary>
    private static SqlBatch InsertBatch(Identity i)
    {
        var batch = new SqlBatch().Add(
            """
            INSERT INTO identities (id, nid, schema_id, traits, state, state_changed_at, metadata_public, metadata_admin,
                external_id, organization_id, created_at, updated_at)
            VALUES (@Id, @Nid, @SchemaId, @Traits, @State, @StateChangedAt, @MetadataPublic, @MetadataAdmin,
                @ExternalId, @OrganizationId, @CreatedAt, @UpdatedAt)
            """, IdentityParams(i), Duplicate(DuplicateKind.IdentityRow, null, null));
        foreach (var cred in i.Credentials.Values) AddCredential(batch, i.Id, cred);
        AddIdentifiers(batch, i);
        AddAddresses(batch, i);
        return batch;
    }

    /// <summary>
    /// Writes <paramref name="updated"/> over the stored identity: the row, exactly its set of credentials
    /// (others are deleted), its identifiers and addresses. Credential and address ids are kept where the
    /// objects carry them. With <paramref name="endSessions"/> all its sessions are deactivated.
    /// Returns false when the identity does not exist.
    /// </summary>
    public async Task<bool> ReplaceAsync(DbConnection c, DbTransaction tx, Identity updated, IReadOnlyCollection<string> storedCredentialTypes,
        bool endSessions, CancellationToken ct = default)
    {
        var rows = await new SqlBatch().Add(
            """
            UPDATE identities SET schema_id = @SchemaId, traits = @Traits, state = @State, state_changed_at = @StateChangedAt,
                metadata_public = @MetadataPublic, metadata_admin = @MetadataAdmin, external_id = @ExternalId,
                organization_id = @OrganizationId, updated_at = @UpdatedAt
            WHERE nid = @Nid AND id = @Id
            """, IdentityParams(updated), Duplicate(DuplicateKind.IdentityRow, null, null)).ExecuteAsync(c, tx, ct);
        if (rows == 0) return false;
        db.Changes.Identity(updated.Id);
        var p = new { nid = Nid, id = updated.Id };
        // Identifiers are rewritten as a whole; deleting first means an identifier may move between this
        // identity's credential types without tripping the unique index.
        await c.ExecuteAsync(new SqlStatement("DELETE FROM identity_credential_identifiers WHERE nid = @nid AND identity_id = @id", p, tx, cancellationToken: ct));
        foreach (var type in storedCredentialTypes.Where(t => !updated.Credentials.ContainsKey(t)))
            await c.ExecuteAsync(new SqlStatement("DELETE FROM identity_credentials WHERE nid = @nid AND identity_id = @id AND type = @type",
                new { nid = Nid, id = updated.Id, type }, tx, cancellationToken: ct));
        foreach (var cred in updated.Credentials.Values)
        {
            if (storedCredentialTypes.Contains(cred.Type))
                await c.ExecuteAsync(new SqlStatement(
                    "UPDATE identity_credentials SET config = @config, version = @version, updated_at = @updatedAt WHERE nid = @nid AND identity_id = @id AND type = @type",
                    new { config = cred.Config.ToJsonString(), version = cred.Version, updatedAt = cred.UpdatedAt, nid = Nid, id = updated.Id, type = cred.Type },
                    tx, cancellationToken: ct));
            else
                await AddCredential(new SqlBatch(), updated.Id, cred).ExecuteAsync(c, tx, ct);
        }
        // The identifiers' foreign key needs each kept credential's stored id; read them back only if unknown.
        if (updated.Credentials.Values.Any(cr => cr.Id == Guid.Empty))
        {
            var credIds = (await c.QueryAsync<(string Type, Guid Id)>(new SqlStatement(
                "SELECT type AS Type, id AS Id FROM identity_credentials WHERE nid = @nid AND identity_id = @id", p, tx, cancellationToken: ct)))
                .ToDictionary(r => r.Type, r => r.Id);
            foreach (var cred in updated.Credentials.Values) cred.Id = credIds[cred.Type];
        }
        var rest = AddIdentifiers(new SqlBatch(), updated)
            .Add("DELETE FROM identity_verifiable_addresses WHERE nid = @nid AND identity_id = @id", p)
            .Add("DELETE FROM identity_recovery_addresses WHERE nid = @nid AND identity_id = @id", p);
        await AddAddresses(rest, updated).ExecuteAsync(c, tx, ct);
        if (endSessions) await EndSessionsAsync(c, tx, updated.Id, updated.UpdatedAt, ct);
        return true;
    }

    /// <summary>Deactivates every active session of the identity (state became inactive).</summary>
    public static Task EndSessionsAsync(DbConnection c, DbTransaction tx, Guid identityId, DateTime now, CancellationToken ct = default) =>
        c.ExecuteAsync(new SqlStatement(
            "UPDATE sessions SET active = @inactive, updated_at = @now WHERE nid = @nid AND identity_id = @id AND active = @active",
            new { inactive = false, active = true, now, nid = Nid, id = identityId }, tx, cancellationToken: ct));

    /// <summary>Deletes the identity; credentials, addresses, sessions and codes go with it (foreign keys cascade).</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct = default)
    {
        var deleted = await db.InTransactionAsync(async (c, tx) => await c.ExecuteAsync(new SqlStatement(
            "DELETE FROM identities WHERE nid = @nid AND id = @id", new { nid = Nid, id }, tx, cancellationToken: ct)) > 0, ct);
        db.Changes.Identity(id);
        return deleted;
    }

    /// <summary>Replaces one credential's config (and bumps updated_at) inside the caller's transaction; false if it does not exist.</summary>
    public static async Task<bool> UpdateCredentialConfigAsync(DbConnection c, DbTransaction tx, Guid identityId, string type, JsonObject config, DateTime now,
        CancellationToken ct = default) =>
        await c.ExecuteAsync(new SqlStatement(
            "UPDATE identity_credentials SET config = @config, updated_at = @now WHERE nid = @nid AND identity_id = @id AND type = @type",
            new { config = config.ToJsonString(), now, nid = Nid, id = identityId, type }, tx, cancellationToken: ct)) > 0;

    private static SqlBatch AddCredential(SqlBatch batch, Guid identityId, Credential cred)
    {
        if (cred.Id == Guid.Empty) cred.Id = RowIds.New();
        return batch.Add(
            """
            INSERT INTO identity_credentials (id, nid, identity_id, type, config, version, created_at, updated_at)
            VALUES (@Id, @nid, @identityId, @Type, @config, @Version, @CreatedAt, @UpdatedAt)
            """,
            new { cred.Id, nid = Nid, identityId, cred.Type, config = cred.Config.ToJsonString(), cred.Version, cred.CreatedAt, cred.UpdatedAt });
    }

    private static SqlBatch AddIdentifiers(SqlBatch batch, Identity i)
    {
        foreach (var cred in i.Credentials.Values)
        {
            // One statement per identifier so a conflict names exactly the identifier that collided.
            foreach (var identifier in cred.Identifiers.Distinct(StringComparer.Ordinal))
                batch.Add(
                    """
                    INSERT INTO identity_credential_identifiers (id, nid, identity_id, identity_credential_id, type, identifier, created_at, updated_at)
                    VALUES (@id, @nid, @identityId, @credId, @type, @identifier, @now, @now)
                    """,
                    new { id = RowIds.New(), nid = Nid, identityId = i.Id, credId = cred.Id, type = cred.Type, identifier, now = cred.UpdatedAt },
                    Duplicate(DuplicateKind.Identifier, cred.Type, identifier));
        }
        return batch;
    }

    private static SqlBatch AddAddresses(SqlBatch batch, Identity i)
    {
        foreach (var a in i.VerifiableAddresses)
        {
            if (a.Id == Guid.Empty) a.Id = RowIds.New();
            batch.Add(
                """
                INSERT INTO identity_verifiable_addresses (id, nid, identity_id, via, value, verified, verified_at, status, created_at, updated_at)
                VALUES (@Id, @nid, @identityId, @Via, @Value, @Verified, @VerifiedAt, @Status, @CreatedAt, @UpdatedAt)
                """,
                new { a.Id, nid = Nid, identityId = i.Id, a.Via, a.Value, a.Verified, a.VerifiedAt, a.Status, a.CreatedAt, a.UpdatedAt },
                Duplicate(DuplicateKind.VerifiableAddress, a.Via, a.Value));
        }
        foreach (var a in i.RecoveryAddresses)
        {
            if (a.Id == Guid.Empty) a.Id = RowIds.New();
            batch.Add(
                """
                INSERT INTO identity_recovery_addresses (id, nid, identity_id, via, value, created_at, updated_at)
                VALUES (@Id, @nid, @identityId, @Via, @Value, @CreatedAt, @UpdatedAt)
                """,
                new { a.Id, nid = Nid, identityId = i.Id, a.Via, a.Value, a.CreatedAt, a.UpdatedAt },
                Duplicate(DuplicateKind.RecoveryAddress, a.Via, a.Value));
        }
        return batch;
    }

    private static object IdentityParams(Identity i) => new
    {
        i.Id,
        Nid,
        i.SchemaId,
        Traits = (i.Traits ?? new JsonObject()).ToJsonString(),
        i.State,
        i.StateChangedAt,
        MetadataPublic = JsonOrNull(i.MetadataPublic),
        MetadataAdmin = JsonOrNull(i.MetadataAdmin),
        ExternalId = string.IsNullOrEmpty(i.ExternalId) ? null : i.ExternalId,
        i.OrganizationId,
        i.CreatedAt,
        i.UpdatedAt,
    };

    private static string? JsonOrNull(JsonNode? n) => n is null ? null : n.ToJsonString();

    /// <summary>
    /// A statement's error translation: a unique-index violation becomes <see cref="DuplicateIdentifierException"/>.
    /// The transaction (or the batch) is abandoned by the throw, so nothing of the identity remains.
    /// </summary>
    private static Func<Exception, Exception?> Duplicate(DuplicateKind kind, string? type, string? value) =>
        e => Database.IsUniqueViolation(e) ? new DuplicateIdentifierException(type, value) { Kind = kind } : null;
}
