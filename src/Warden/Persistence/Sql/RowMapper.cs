using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;

namespace Warden.Persistence;

/// <summary>
/// Builds a T from the current row of a reader, by one of three shapes: a single value (string, Guid, number…)
/// from the first column; a value tuple by position; a class by column name (case-insensitive), through the
/// constructor whose parameters the columns name, else the parameterless one plus settable properties. A NULL
/// leaves a property at its initial value. Dictionary&lt;string, object?&gt; takes a whole row as it is; a column with no matching member is ignored. Each plan is built
/// once per (type, column list) and cached; the per-row work is a getter, a converter and a setter delegate.
/// </summary>
internal static class RowMapper
{
    private static readonly ConcurrentDictionary<(Type, string), Func<DbDataReader, object?>> Plans = new();

    public static Func<DbDataReader, object?> For(Type type, DbDataReader reader)
    {
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++) names[i] = reader.GetName(i);
        return Plans.GetOrAdd((type, string.Join('\u001f', names)), _ => Build(type, names));
    }

    private static Func<DbDataReader, object?> Build(Type type, string[] names)
    {
        if (IsSingleValue(type)) return Column(0, type);
        if (type == typeof(Dictionary<string, object?>)) return r => AsDictionary(r, names);
        if (type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)) return Tuple(type, names);
        return Members(type, names);
    }

    /// <summary>Column name to value (NULL as null): for code that reads whole rows whatever their columns.</summary>
    private static Dictionary<string, object?> AsDictionary(DbDataReader r, string[] names)
    {
        var row = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++) row[names[i]] = r.IsDBNull(i) ? null : r.GetValue(i);
        return row;
    }

    private static bool IsSingleValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(DateTime)
            || t == typeof(DateTimeOffset) || t == typeof(decimal) || t == typeof(byte[]) || t == typeof(object);
    }

    /// <summary>Column <paramref name="i"/> as <paramref name="type"/>; NULL becomes the type's default.</summary>
    private static Func<DbDataReader, object?> Column(int i, Type type)
    {
        var convert = DbValue.ConverterTo(type);
        var fallback = DefaultOf(type);
        return r => r.GetValue(i) is var v && v is DBNull ? fallback : convert(v);
    }

    private static Func<DbDataReader, object?> Tuple(Type type, string[] names)
    {
        var args = type.GetGenericArguments();
        if (args.Length > 7 || args.Length > names.Length)
            throw new InvalidOperationException($"{args.Length} tuple elements from {names.Length} columns");
        var ctor = type.GetConstructor(args)!;
        var columns = args.Select((t, i) => Column(i, t)).ToArray();
        return r =>
        {
            var values = new object?[columns.Length];
            for (var i = 0; i < columns.Length; i++) values[i] = columns[i](r);
            return ctor.Invoke(values);
        };
    }

    private static Func<DbDataReader, object?> Members(Type type, string[] names)
    {
        var ordinal = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = names.Length - 1; i >= 0; i--) ordinal[names[i]] = i;
        const BindingFlags Instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        var ctor = type.GetConstructor(Instance, Type.EmptyTypes)
            ?? type.GetConstructors(Instance)
                .Where(c => c.GetParameters().All(p => p.Name is { } n && ordinal.ContainsKey(n)))
                .OrderByDescending(c => c.GetParameters().Length)
                .FirstOrDefault()
            ?? throw new InvalidOperationException($"{type.Name} has no constructor the columns ({string.Join(", ", names)}) can fill");
        var ctorArgs = ctor.GetParameters().Select(p => Column(ordinal[p.Name!], p.ParameterType)).ToArray();
        var bound = ctor.GetParameters().Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var setters = new List<(int Ordinal, Func<object, object> Convert, Action<object, object> Set)>();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (bound.Contains(p.Name) || !ordinal.TryGetValue(p.Name, out var i) || p.SetMethod is not { } set || p.GetIndexParameters().Length > 0) continue;
            setters.Add((i, DbValue.ConverterTo(p.PropertyType), MemberSetter.For(type, p, set)));
        }
        return r =>
        {
            var args = new object?[ctorArgs.Length];
            for (var i = 0; i < args.Length; i++) args[i] = ctorArgs[i](r);
            var row = ctor.Invoke(args);
            foreach (var (i, convert, set) in setters)
                if (r.GetValue(i) is var v && v is not DBNull) set(row, convert(v));
            return row;
        };
    }

    private static object? DefaultOf(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;

    /// <summary>A typed delegate over the property's setter: reflection once, a plain call per row.</summary>
    private abstract class MemberSetter
    {
        public static Action<object, object> For(Type owner, PropertyInfo p, MethodInfo set)
        {
            if (owner.IsValueType) return (row, value) => p.SetValue(row, value);
            var typed = (MemberSetter)Activator.CreateInstance(typeof(MemberSetter<,>).MakeGenericType(owner, p.PropertyType), set)!;
            return typed.Set;
        }

        protected abstract void Set(object row, object value);
    }

    private sealed class MemberSetter<TRow, TValue>(MethodInfo set) : MemberSetter where TRow : class
    {
        private readonly Action<TRow, TValue> _set = set.CreateDelegate<Action<TRow, TValue>>();

        protected override void Set(object row, object value) => _set((TRow)row, (TValue)value);
    }
}
