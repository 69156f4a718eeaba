using System.Data.Common;
using Warden.Persistence;

namespace Warden.Courier;

/// <summary>
/// The outbox tables. Claiming is one atomic statement per batch, so several workers (threads, processes,
/// Warden instances on one PostgreSQL) never hold the same message: PostgreSQL skips rows another
/// transaction has locked, SQLite has a single writer. A claim is a lease: if its worker dies, the message
/// becomes claimable again when <c>claimed_until</c> passes.
/// </summary>
public sealed class CourierStore(Database db, TimeProvider clock)
{
    private const string Columns =
        "id, type, channel, status, recipient, subject, body, html_body AS HtmlBody, template_type AS TemplateType, template_data AS TemplateData, "
        + "send_count AS SendCount, claimed_by AS ClaimedBy, claimed_until AS ClaimedUntil, next_attempt_at AS NextAttemptAt, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public Database Database => db;

    public async Task InsertAsync(MessageRow m, DbConnection? c = null, DbTransaction? tx = null, CancellationToken ct = default)
    {
        const string sql = "INSERT INTO courier_messages (id, nid, type, channel, status, recipient, subject, body, html_body, template_type, template_data, send_count, next_attempt_at, created_at, updated_at) "
            + "VALUES (@Id, @nid, @Type, @Channel, @Status, @Recipient, @Subject, @Body, @HtmlBody, @TemplateType, @TemplateData, 0, @NextAttemptAt, @CreatedAt, @UpdatedAt)";
        var args = new SqlParameters(m);
        args.Add("nid", Database.DefaultNetworkId);
        if (c is not null)
        {
            await c.ExecuteAsync(new SqlStatement(sql, args, tx, cancellationToken: ct));
            return;
        }
        await db.WriteAsync(own => own.ExecuteAsync(new SqlStatement(sql, args, cancellationToken: ct)), ct);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages of the given types for <paramref name="worker"/>
    /// until now + <paramref name="lease"/>, oldest first, and returns them (status processing).
    /// </summary>
    public async Task<IReadOnlyList<MessageRow>> ClaimAsync(string worker, IReadOnlyCollection<string> types, int limit, TimeSpan lease, CancellationToken ct = default)
    {
        if (types.Count == 0) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var postgres = db.Dialect == Dialect.Postgres;
        var lockClause = postgres ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = "UPDATE courier_messages SET status = 'processing', claimed_by = @worker, claimed_until = @until, updated_at = @now "
            + "WHERE id IN (SELECT id FROM courier_messages WHERE nid = @nid AND type IN @types AND "
            + "((status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)) OR (status = 'processing' AND claimed_until < @now)) "
            + "ORDER BY created_at, id LIMIT @limit" + lockClause + ") "
            + $"RETURNING {Columns}";
        var args = new { worker, until = now + lease, now, nid = Database.DefaultNetworkId, types = types.ToArray(), limit };
        return await db.InTransactionAsync(async (c, tx) =>
            (await c.QueryAsync<MessageRow>(new SqlStatement(sql, args, tx, cancellationToken: ct))).OrderBy(m => m.CreatedAt).ToList(), ct);
    }

    /// <summary>
    /// When the next message of these types becomes claimable: a queued one at its next attempt (at once when it
    /// has none), a claimed one when its claim expires. Null when no message of these types is waiting.
    /// </summary>
    public async Task<DateTime?> NextDueAsync(IReadOnlyCollection<string> types, CancellationToken ct = default)
    {
        if (types.Count == 0) return null;
        const string sql = "SELECT MIN(CASE WHEN status = 'queued' THEN COALESCE(next_attempt_at, created_at) ELSE claimed_until END) "
            + "FROM courier_messages WHERE nid = @nid AND status IN ('queued', 'processing') AND type IN @types";
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<DateTime?>(new SqlStatement(sql, new { nid = Database.DefaultNetworkId, types = types.ToArray() }, cancellationToken: ct));
    }

    /// <summary>Marks a delivered message sent, in its own statement right after the server accepted it.</summary>
    public async Task MarkSentAsync(Guid id, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // The status and its dispatch record commit together (and on SQLite wait their turn at the write gate).
        await db.InTransactionAsync(async (c, tx) =>
        {
            // Sent is final and true whoever holds the claim now, so this does not check claimed_by.
            await c.ExecuteAsync(new SqlStatement(
                "UPDATE courier_messages SET status = 'sent', send_count = send_count + 1, claimed_by = NULL, claimed_until = NULL, next_attempt_at = NULL, updated_at = @now WHERE id = @id AND nid = @nid",
                new { id, now, nid = Database.DefaultNetworkId }, tx, cancellationToken: ct));
            await AddDispatchAsync(c, id, "success", null, now, ct, tx);
        }, ct);
    }

    /// <summary>
    /// Records a failed attempt. The message goes back to the queue, due after <paramref name="retryAfter"/>,
    /// or is abandoned when <paramref name="abandon"/> is set or it has failed more than <paramref name="maxRetries"/> times.
    /// Returns the new status, or null when the worker no longer held the claim (nothing changed).
    /// </summary>
    public async Task<string?> MarkFailedAsync(Guid id, string worker, string error, int maxRetries, TimeSpan retryAfter, bool abandon, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var status = await c.QuerySingleOrDefaultAsync<string?>(new SqlStatement(
                "UPDATE courier_messages SET send_count = send_count + 1, "
                + "status = CASE WHEN @abandon OR send_count + 1 > @maxRetries THEN 'abandoned' ELSE 'queued' END, "
                + "next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL, updated_at = @now "
                + "WHERE id = @id AND nid = @nid AND claimed_by = @worker AND status = 'processing' RETURNING status",
                new { id, worker, maxRetries, abandon, next = now + retryAfter, now, nid = Database.DefaultNetworkId }, tx, cancellationToken: ct));
            if (status is not null) await AddDispatchAsync(c, id, "failed", error, now, ct, tx);
            return status;
        }, ct);
    }

    /// <summary>Returns claims this worker still holds to the queue (orderly shutdown), without counting an attempt.</summary>
    public async Task ReleaseAsync(string worker, CancellationToken ct = default)
    {
        await db.WriteAsync(
            "UPDATE courier_messages SET status = 'queued', claimed_by = NULL, claimed_until = NULL, updated_at = @now WHERE nid = @nid AND claimed_by = @worker AND status = 'processing'",
            new { worker, now = clock.GetUtcNow().UtcDateTime, nid = Database.DefaultNetworkId }, ct);
    }

    private static Task AddDispatchAsync(DbConnection c, Guid messageId, string status, string? error, DateTime now, CancellationToken ct, DbTransaction? tx = null) =>
        c.ExecuteAsync(new SqlStatement(
            "INSERT INTO courier_message_dispatches (id, nid, message_id, status, error, created_at, updated_at) VALUES (@id, @nid, @messageId, @status, @error, @now, @now)",
            new { id = RowIds.New(), nid = Database.DefaultNetworkId, messageId, status, error, now }, tx, cancellationToken: ct));

    public async Task<MessageRow?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<MessageRow>(new SqlStatement(
            $"SELECT {Columns} FROM courier_messages WHERE id = @id AND nid = @nid", new { id, nid = Database.DefaultNetworkId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<DispatchRow>> DispatchesAsync(Guid messageId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<DispatchRow>(new SqlStatement(
            "SELECT id, message_id AS MessageId, status, error, created_at AS CreatedAt, updated_at AS UpdatedAt FROM courier_message_dispatches WHERE message_id = @messageId AND nid = @nid ORDER BY created_at, id",
            new { messageId, nid = Database.DefaultNetworkId }, cancellationToken: ct))).ToList();
    }

    /// <summary>A page of messages, newest first, after the (created_at, id) keyset <paramref name="after"/>.</summary>
    public async Task<(IReadOnlyList<MessageRow> Items, bool HasMore)> ListAsync(string? status, string? recipient,
        (DateTime CreatedAt, Guid Id)? after, int size, CancellationToken ct = default)
    {
        var where = new List<string> { "nid = @nid" };
        if (status is not null) where.Add("status = @status");
        if (recipient is not null) where.Add("recipient = @recipient");
        if (after is not null) where.Add("(created_at < @afterAt OR (created_at = @afterAt AND id < @afterId))");
        var sql = $"SELECT {Columns} FROM courier_messages WHERE {string.Join(" AND ", where)} ORDER BY created_at DESC, id DESC LIMIT @take";
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<MessageRow>(new SqlStatement(sql, new
        {
            nid = Database.DefaultNetworkId, status, recipient, afterAt = after?.CreatedAt, afterId = after?.Id, take = size + 1,
        }, cancellationToken: ct))).ToList();
        var more = rows.Count > size;
        if (more) rows.RemoveAt(rows.Count - 1);
        return (rows, more);
    }
}
