using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Warden.Bench;

/// <summary>
/// Fast row insertion for seeding: binary COPY on PostgreSQL, one prepared statement in one transaction on
/// SQLite. Values are Guid/DateTime/bool/int/string/null; on SQLite they are written in the text forms
/// Warden's ParameterBinder uses (Guid "D", fixed-width UTC time, 1/0).
/// </summary>
internal static class BulkWriter
{
    private const string SqliteTime = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static async Task WriteAsync(DbConnection c, string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        if (c is NpgsqlConnection pg) await CopyAsync(pg, table, columns, rows);
        else await InsertAsync(c, table, columns, rows);
    }

    private static async Task CopyAsync(NpgsqlConnection c, string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        await using var copy = await c.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await copy.StartRowAsync();
            foreach (var v in row)
            {
                switch (v)
                {
                    case null or DBNull: await copy.WriteNullAsync(); break;
                    case Guid g: await copy.WriteAsync(g, NpgsqlTypes.NpgsqlDbType.Uuid); break;
                    case DateTime d: await copy.WriteAsync(DateTime.SpecifyKind(d, DateTimeKind.Utc), NpgsqlTypes.NpgsqlDbType.TimestampTz); break;
                    case bool b: await copy.WriteAsync(b, NpgsqlTypes.NpgsqlDbType.Boolean); break;
                    case int i: await copy.WriteAsync(i, NpgsqlTypes.NpgsqlDbType.Integer); break;
                    case long l: await copy.WriteAsync(l, NpgsqlTypes.NpgsqlDbType.Bigint); break;
                    case string s: await copy.WriteAsync(s, NpgsqlTypes.NpgsqlDbType.Text); break;
                    default: throw new BenchException($"cannot COPY a {v.GetType().Name} into {table}");
                }
            }
        }
        await copy.CompleteAsync();
    }

    // Through DbConnection: Warden lends its own pooled connection type, whose commands are SqliteCommands.
    private static async Task InsertAsync(DbConnection c, string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        await using var tx = await c.BeginTransactionAsync();
        await using var cmd = (SqliteCommand)c.CreateCommand();
        cmd.Transaction = (SqliteTransaction)tx;
        cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        var ps = columns.Select((_, i) => cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++) ps[i].Value = Sqlite(row[i]);
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private static object Sqlite(object? v) => v switch
    {
        null => DBNull.Value,
        Guid g => g.ToString("D"),
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString(SqliteTime, CultureInfo.InvariantCulture),
        bool b => b ? 1 : 0,
        _ => v,
    };
}
