using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Warden.Persistence;

/// <summary>
/// One place that makes Guid and DateTime round-trip identically on both databases: SQLite stores them as
/// canonical text (sortable, readable with the sqlite3 shell), PostgreSQL as uuid / timestamptz.
/// </summary>
internal static class DapperSetup
{
    private static int _done;

    public static void EnsureInitialized()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        SQLitePCL.Batteries_V2.Init();
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.RemoveTypeMap(typeof(DateTime));
        SqlMapper.RemoveTypeMap(typeof(DateTime?));
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
    }

    /// <summary>Text form used for timestamps in SQLite: fixed width so string order is time order.</summary>
    public const string SqliteTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("D");
            }
            else
            {
                parameter.Value = value;
            }
        }

        public override Guid Parse(object value) => value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            _ => throw new DataException($"cannot read {value.GetType().Name} as uuid"),
        };
    }

    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value)
        {
            var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = utc.ToString(SqliteTimeFormat, CultureInfo.InvariantCulture);
            }
            else
            {
                parameter.DbType = DbType.DateTime;
                parameter.Value = utc;
            }
        }

        public override DateTime Parse(object value) => value switch
        {
            DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
            DateTimeOffset o => o.UtcDateTime,
            string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ => throw new DataException($"cannot read {value.GetType().Name} as timestamp"),
        };
    }
}
