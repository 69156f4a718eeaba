using System.Globalization;

namespace Warden.Persistence;

/// <summary>
/// <see cref="DbValue"/>'s conversions as typed delegates, for the per-row path of <see cref="RowMapper"/>: the
/// converted value goes straight into a typed setter instead of through a second box. The types every row of
/// Warden's stores uses are spelled out; any other type falls back to the boxed converter.
/// </summary>
internal static class TypedValue<T>
{
    public static readonly Func<object, T> From = Build();

    private static Func<object, T> Build()
    {
        object f = typeof(T) switch
        {
            var t when t == typeof(string) => (Func<object, string>)DbValue.ToText,
            var t when t == typeof(Guid) => (Func<object, Guid>)DbValue.ToGuid,
            var t when t == typeof(Guid?) => (Func<object, Guid?>)(v => DbValue.ToGuid(v)),
            var t when t == typeof(DateTime) => (Func<object, DateTime>)DbValue.ToUtc,
            var t when t == typeof(DateTime?) => (Func<object, DateTime?>)(v => DbValue.ToUtc(v)),
            var t when t == typeof(int) => (Func<object, int>)ToInt,
            var t when t == typeof(int?) => (Func<object, int?>)(v => ToInt(v)),
            var t when t == typeof(long) => (Func<object, long>)ToLong,
            var t when t == typeof(long?) => (Func<object, long?>)(v => ToLong(v)),
            var t when t == typeof(bool) => (Func<object, bool>)DbValue.ToBool,
            var t when t == typeof(bool?) => (Func<object, bool?>)(v => DbValue.ToBool(v)),
            _ => Boxed(),
        };
        return (Func<object, T>)f;
    }

    private static Func<object, T> Boxed()
    {
        var convert = DbValue.ConverterTo(typeof(T));
        return v => (T)convert(v);
    }

    private static int ToInt(object v) => v is int i ? i : v is long l ? checked((int)l) : Convert.ToInt32(v, CultureInfo.InvariantCulture);
    private static long ToLong(object v) => v is long l ? l : Convert.ToInt64(v, CultureInfo.InvariantCulture);
}
