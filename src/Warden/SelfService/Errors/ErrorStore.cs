using System.Text.Json.Nodes;
using Warden.Http;
using Warden.Persistence;

namespace Warden.SelfService.Errors;

/// <summary>
/// Errors a browser cannot see on a flow (CSRF failures, unknown flows, …) are stored here and the browser
/// is sent to the error UI with the id; the UI fetches them through <c>getFlowError</c>.
/// </summary>
public sealed class ErrorStore(Database db)
{
    public async Task<Guid> AddAsync(ApiException error, CancellationToken ct = default)
    {
        var id = RowIds.New();
        var now = DateTime.UtcNow;
        var body = ErrorWriter.ToJson(error)["error"]!.ToJsonString(WardenJson.Options);
        await db.WriteAsync(
            "INSERT INTO selfservice_errors (id, nid, error, csrf_token, was_seen, created_at, updated_at) VALUES (@id, @nid, @body, '', @seen, @now, @now)",
            new { id, nid = Database.DefaultNetworkId, body, seen = false, now }, ct);
        return id;
    }

    /// <summary>The stored error as <c>flowError</c> JSON, or null. Reading marks it seen.</summary>
    public async Task<JsonObject?> GetAsync(Guid id, CancellationToken ct = default)
    {
        var row = await ReadAsync(id, ct);
        if (row.Error is null) return null;
        await db.WriteAsync(
            "UPDATE selfservice_errors SET was_seen = @seen, seen_at = @now WHERE id = @id AND nid = @nid",
            new { id, nid = Database.DefaultNetworkId, seen = true, now = DateTime.UtcNow }, ct);
        return new JsonObject
        {
            ["id"] = id,
            ["error"] = JsonNode.Parse(row.Error),
            ["created_at"] = DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc),
            ["updated_at"] = DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc),
        };
    }

    private async Task<(string Error, DateTime CreatedAt, DateTime UpdatedAt)> ReadAsync(Guid id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<(string Error, DateTime CreatedAt, DateTime UpdatedAt)>(new SqlStatement(
            "SELECT error, created_at, updated_at FROM selfservice_errors WHERE id = @id AND nid = @nid",
            new { id, nid = Database.DefaultNetworkId }, cancellationToken: ct));
    }
}
