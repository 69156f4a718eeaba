using System.Data;
using System.Globalization;

namespace Warden.Persistence;

/// <summary>
/// Reads a column value as the CLR type a row declares. SQLite hands back long, double, string and byte[]
/// only, so integers narrow, booleans come from 0/1, and Guid and DateTime parse from the text
/// <see cref="ParameterBinder"/> wrote; PostgreSQL's values mostly pass through.
/// </summary>
internal static class DbValue
{
    /// <summary>A converter from a non-null database value to <paramref name="target"/>, chosen once per column.</summary>
    public static Func<object, object> ConverterTo(Type target)
    {
        var t = Nullable.GetUnderlyingType(target) ?? target;
        if (t == typeof(object)) return v => v;
        if (t == typeof(string)) return v => ToText(v);
        if (t == typeof(Guid)) return v => ToGuid(v);
        if (t == typeof(DateTime)) return v => ToUtc(v);
        if (t == typeof(DateTimeOffset)) return v => v is DateTimeOffset o ? o : new DateTimeOffset(ToUtc(v));
        if (t == typeof(bool)) return v => ToBool(v);
        if (t == typeof(byte[])) return v => v as byte[] ?? throw Mismatch(v, t);
        if (t.IsEnum) return v => v is string s ? Enum.Parse(t, s, ignoreCase: true) : Enum.ToObject(t, v);
        return v => v.GetType() == t ? v : Convert.ChangeType(v, t, CultureInfo.InvariantCulture);
    }

    internal static string ToText(object v) => v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture)!;

    /// <summary>SQLite stores booleans as 0/1.</summary>
    internal static bool ToBool(object v) => v is bool b ? b : Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0;

    internal static Guid ToGuid(object value) => value switch
    {
        Guid g => g,
        string s => Guid.Parse(s),
        byte[] b => new Guid(b),
        _ => throw Mismatch(value, typeof(Guid)),
    };

    internal static DateTime ToUtc(object value) => value switch
    {
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        _ => throw Mismatch(value, typeof(DateTime)),
    };

    private static DataException Mismatch(object value, Type target) => new($"cannot read {value.GetType().Name} as {target.Name}");
}
