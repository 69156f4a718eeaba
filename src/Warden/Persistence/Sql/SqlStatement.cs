using System.Data.Common;

namespace Warden.Persistence;

/// <summary>
/// One SQL command to run: its text, its parameters (an object whose public properties are the values, or
/// <see cref="SqlParameters"/>), the transaction it belongs to and the token that cancels it.
/// </summary>
public readonly struct SqlStatement(string commandText, object? parameters = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
{
    public string CommandText { get; } = commandText;
    public object? Parameters { get; } = parameters;
    public DbTransaction? Transaction { get; } = transaction;
    public CancellationToken CancellationToken { get; } = cancellationToken;
}

/// <summary>
/// Parameters built at run time (names that depend on the input, e.g. one per element of an IN list), optionally
/// starting from the properties of an object.
/// </summary>
public sealed class SqlParameters
{
    private readonly List<(string Name, object? Value, Type? Declared)> _values = [];

    public SqlParameters(object? template = null)
    {
        if (template is not null) _values.AddRange(ParameterBinder.Values(template));
    }

    public void Add(string name, object? value) => _values.Add((name, value, null));

    internal IReadOnlyList<(string Name, object? Value, Type? Declared)> Values => _values;
}
