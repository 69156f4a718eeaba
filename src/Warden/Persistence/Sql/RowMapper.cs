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
        var setters = new List<ColumnSetter>();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (bound.Contains(p.Name) || !ordinal.TryGetValue(p.Name, out var i) || p.SetMethod is not { } set || p.GetIndexParameters().Length > 0) continue;
            setters.Add(ColumnSetter.For(type, p, set, i));
        }
        var all = setters.ToArray();
        // The usual row class (parameterless constructor, settable properties) is made by a typed factory, not by
        // a reflection call with an argument array per row.
        var create = ctorArgs.Length == 0 && !type.IsValueType && ctor.IsPublic ? Factory(type) : null;
        return r =>
        {
            object row;
            if (create is not null) row = create();
            else
            {
                var args = new object?[ctorArgs.Length];
                for (var i = 0; i < args.Length; i++) args[i] = ctorArgs[i](r);
                row = ctor.Invoke(args);
            }
            foreach (var s in all) s.Set(row, r);
            return row;
        };
    }

    private static Func<object> Factory(Type type) =>
        ((Creator)Activator.CreateInstance(typeof(Creator<>).MakeGenericType(type))!).Create;

    private abstract class Creator
    {
        public abstract object Create();
    }

    private sealed class Creator<TRow> : Creator where TRow : class, new()
    {
        public override object Create() => new TRow();
    }

    private static object? DefaultOf(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;

    /// <summary>
    /// One column into one property: the reader's value, converted by <see cref="TypedValue{T}"/>, through a typed
    /// delegate over the setter (reflection once per plan, plain calls per row). NULL leaves the property alone.
    /// </summary>
    private abstract class ColumnSetter
    {
        public static ColumnSetter For(Type owner, PropertyInfo p, MethodInfo set, int ordinal) => owner.IsValueType
            ? new BoxedColumnSetter(p, ordinal)
            : (ColumnSetter)Activator.CreateInstance(typeof(ColumnSetter<,>).MakeGenericType(owner, p.PropertyType), set, ordinal)!;

        public abstract void Set(object row, DbDataReader r);
    }

    private sealed class ColumnSetter<TRow, TValue>(MethodInfo set, int ordinal) : ColumnSetter where TRow : class
    {
        private readonly Action<TRow, TValue> _set = set.CreateDelegate<Action<TRow, TValue>>();

        public override void Set(object row, DbDataReader r)
        {
            var v = r.GetValue(ordinal);
            if (v is not DBNull) _set((TRow)row, TypedValue<TValue>.From(v));
        }
    }

    /// <summary>A struct row: set through reflection on its box (no store uses one; kept for completeness).</summary>
    private sealed class BoxedColumnSetter(PropertyInfo p, int ordinal) : ColumnSetter
    {
        private readonly Func<object, object> _convert = DbValue.ConverterTo(p.PropertyType);

        public override void Set(object row, DbDataReader r)
        {
            var v = r.GetValue(ordinal);
            if (v is not DBNull) p.SetValue(row, _convert(v));
        }
    }
}
