using System.Collections;
using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace Warden.Persistence;

/// <summary>
/// Turns a parameter object into command parameters. Guid and DateTime are stored so they round-trip alike on
/// both databases: SQLite keeps them as canonical text (sortable, readable in the sqlite3 shell), PostgreSQL as
/// uuid / timestamptz. Only parameters the SQL mentions are sent (an object may carry more than one statement needs).
/// A list parameter (<c>x IN @list</c>) is expanded into one parameter per element on both databases.
/// </summary>
internal static class ParameterBinder
{
    /// <summary>Text form of timestamps in SQLite: fixed width, so string order is time order.</summary>
    public const string SqliteTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private static readonly ConcurrentDictionary<Type, Property[]> PropertiesByType = new();

    private sealed record Property(string Name, Type Type, Func<object, object?> Get);

    /// <param name="sqlite">Whether <paramref name="cmd"/> is SQLite's. Said by the caller, which knows its
    /// connection, rather than tested here: a type test of Microsoft.Data.Sqlite's command would make every
    /// PostgreSQL server load that assembly when this method is compiled.</param>
    public static void Bind(DbCommand cmd, object? parameters, bool sqlite)
    {
        if (parameters is null) return;
        cmd.CommandText = Bind(cmd.CommandText, cmd.Parameters, cmd.CreateParameter, sqlite, parameters);
    }

    /// <summary>The same for one statement of a <see cref="DbBatch"/> (PostgreSQL only: SQLite runs batches command by command).</summary>
    public static void Bind(DbBatchCommand cmd, object? parameters)
    {
        if (parameters is null) return;
        cmd.CommandText = Bind(cmd.CommandText, cmd.Parameters, cmd.CreateParameter, sqlite: false, parameters);
    }

    /// <summary>Adds the parameters <paramref name="sql"/> mentions; returns the SQL with list parameters expanded.</summary>
    private static string Bind(string sql, DbParameterCollection target, Func<DbParameter> create, bool sqlite, object parameters)
    {
        foreach (var (name, value, declared) in Values(parameters))
        {
            if (Find(sql, name, 0) < 0) continue;
            if (value is IEnumerable list and not string and not byte[])
            {
                // "x IN @list" becomes "x IN (@list_0, @list_1, …)". SQLite has no array parameter; PostgreSQL has
                // (x = ANY(@list)), but binding arrays needs Npgsql's array resolvers, which cost every PostgreSQL
                // server 1.1 MB of memory from its start for lists of one to a few elements.
                sql = Expand(target, create, sql, name, list, sqlite);
                continue;
            }
            Add(target, create, name, value, declared, sqlite);
        }
        return sql;
    }

    private static void Add(DbParameterCollection target, Func<DbParameter> create, string name, object? value, Type? declared, bool sqlite)
    {
        var p = create();
        p.ParameterName = name;
        SetValue(p, value, declared, sqlite);
        target.Add(p);
    }

    private static string Expand(DbParameterCollection target, Func<DbParameter> create, string sql, string name, IEnumerable list, bool sqlite)
    {
        var names = new List<string>();
        foreach (var item in list)
        {
            var element = name + "_" + names.Count;
            Add(target, create, element, item, null, sqlite);
            names.Add("@" + element);
        }
        // An empty list matches nothing, as IN () would if SQL allowed it.
        var replacement = names.Count == 0 ? "(SELECT NULL WHERE 1 = 0)" : "(" + string.Join(", ", names) + ")";
        for (var at = Find(sql, name, 0); at >= 0; at = Find(sql, name, at + replacement.Length))
            sql = string.Concat(sql.AsSpan(0, at), replacement, sql.AsSpan(at + 1 + name.Length));
        return sql;
    }

    /// <summary>Name, value and declared type (null when unknown) of each parameter.</summary>
    public static IEnumerable<(string Name, object? Value, Type? Declared)> Values(object parameters)
    {
        if (parameters is SqlParameters dynamic) return dynamic.Values;
        var props = PropertiesByType.GetOrAdd(parameters.GetType(), Describe);
        var values = new (string, object?, Type?)[props.Length];
        for (var i = 0; i < props.Length; i++) values[i] = (props[i].Name, props[i].Get(parameters), props[i].Type);
        return values;
    }

    private static Property[] Describe(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
        .Select(p => new Property(p.Name, p.PropertyType, p.GetValue))
        .ToArray();

    private static void SetValue(DbParameter p, object? value, Type? declared, bool sqlite)
    {
        switch (value)
        {
            case null or DBNull:
                p.Value = DBNull.Value;
                // A typed NULL lets PostgreSQL resolve "@x IS NULL"; Guid and DateTime NULLs stay untyped as before.
                if (NullType(declared) is { } t) p.DbType = t;
                return;
            case Guid g when sqlite:
                p.DbType = DbType.String;
                p.Value = g.ToString("D");
                return;
            case DateTime d:
                var utc = d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc);
                if (sqlite)
                {
                    p.DbType = DbType.String;
                    p.Value = utc.ToString(SqliteTimeFormat, CultureInfo.InvariantCulture);
                }
                else
                {
                    p.DbType = DbType.DateTime;
                    p.Value = utc;
                }
                return;
            case Enum e:
                p.Value = Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), CultureInfo.InvariantCulture);
                return;
            default:
                p.Value = value;
                return;
        }
    }

    private static DbType? NullType(Type? declared) => (declared is null ? null : Nullable.GetUnderlyingType(declared) ?? declared) switch
    {
        { } t when t == typeof(string) => DbType.String,
        { } t when t == typeof(int) => DbType.Int32,
        { } t when t == typeof(long) => DbType.Int64,
        { } t when t == typeof(bool) => DbType.Boolean,
        { } t when t == typeof(double) => DbType.Double,
        { } t when t == typeof(byte[]) => DbType.Binary,
        _ => null,
    };

    /// <summary>Where <paramref name="sql"/> has @name as a whole placeholder (not a prefix of a longer one), from <paramref name="start"/>; -1 if nowhere.</summary>
    internal static int Find(string sql, string name, int start)
    {
        for (var at = sql.IndexOf('@', start); at >= 0; at = sql.IndexOf('@', at + 1))
        {
            var end = at + 1 + name.Length;
            if (end > sql.Length) return -1;
            if (string.Compare(sql, at + 1, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) != 0) continue;
            if (end == sql.Length || !(char.IsLetterOrDigit(sql[end]) || sql[end] == '_')) return at;
        }
        return -1;
    }
}
