using System.Text.Json.Nodes;
using Warden.Http;
using Warden.Persistence;

namespace Warden.SelfService.Continuity;

/// <summary>
/// Work a flow paused and resumes later in another request, in <c>continuity_containers</c>: e.g. a settings
/// change that waits until the user has signed in again. A container belongs to one identity and has a
/// name (which the caller derives from the flow); taking it deletes it, so it is applied at most once even
/// when two requests race. Callers must never put secrets in clear into a payload (hash them first).
/// </summary>
public sealed class ContinuityStore(Database db)
{
    /// <summary>Stores <paramref name="payload"/>, replacing any container of the same name and identity.</summary>
    public Task PutAsync(string name, Guid identityId, JsonObject payload, DateTime expiresAt, CancellationToken ct = default) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var now = DateTime.UtcNow;
            // Removing expired containers here keeps the table small without a separate sweeper.
            await c.ExecuteAsync(new SqlStatement(
                """
                DELETE FROM continuity_containers WHERE nid = @nid AND ((name = @name AND identity_id = @identityId) OR expires_at <= @now);
                INSERT INTO continuity_containers (id, nid, identity_id, name, payload, expires_at, created_at, updated_at)
                VALUES (@id, @nid, @identityId, @name, @payload, @expiresAt, @now, @now);
                """,
                new
                {
                    id = RowIds.New(), nid = Database.DefaultNetworkId, identityId, name,
                    payload = payload.ToJsonString(WardenJson.Options), expiresAt, now,
                }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>Removes and returns the unexpired container, or null. Atomic: concurrent callers cannot both get it.</summary>
    public async Task<JsonObject?> TakeAsync(string name, Guid identityId, CancellationToken ct = default)
    {
        var payload = await db.WriteAsync(c => c.QueryFirstOrDefaultAsync<string>(new SqlStatement(
            """
            DELETE FROM continuity_containers WHERE nid = @nid AND name = @name AND identity_id = @identityId AND expires_at > @now
            RETURNING payload
            """,
            new { nid = Database.DefaultNetworkId, name, identityId, now = DateTime.UtcNow }, cancellationToken: ct)), ct);
        return payload is null ? null : JsonNode.Parse(payload) as JsonObject;
    }

    /// <summary>Whether an unexpired container exists (without taking it).</summary>
    public async Task<bool> ExistsAsync(string name, Guid identityId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new SqlStatement(
            "SELECT COUNT(*) FROM continuity_containers WHERE nid = @nid AND name = @name AND identity_id = @identityId AND expires_at > @now",
            new { nid = Database.DefaultNetworkId, name, identityId, now = DateTime.UtcNow }, cancellationToken: ct)) > 0;
    }

    /// <summary>Drops a container that is no longer wanted (the change was made another way).</summary>
    public async Task DeleteAsync(string name, Guid identityId, CancellationToken ct = default)
    {
        await db.WriteAsync(
            "DELETE FROM continuity_containers WHERE nid = @nid AND name = @name AND identity_id = @identityId",
            new { nid = Database.DefaultNetworkId, name, identityId }, ct);
    }
}
