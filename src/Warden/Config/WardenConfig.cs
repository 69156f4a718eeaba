using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Http;

namespace Warden.Config;

/// <summary>
/// The effective configuration: the Kratos config tree (file merged with environment overrides) plus the
/// command-line flags. Features read typed sections from the tree with <see cref="Section{T}"/>, so the
/// loader knows nothing about individual features.
/// </summary>
public sealed class WardenConfig
{
    public WardenConfig(JsonObject root, bool dev = false, string? sourcePath = null)
    {
        Root = root;
        Dev = dev;
        SourcePath = sourcePath;
    }

    /// <summary>The Kratos-format config tree (snake_case keys, as in kratos.yml).</summary>
    public JsonObject Root { get; }

    /// <summary><c>--dev</c>: relaxes cookie Secure flags and hashing cost floors for local work.</summary>
    public bool Dev { get; }

    /// <summary>Set once the unsupported-keys warning was written, so it appears once per startup.</summary>
    internal int UnsupportedKeysLogged;

    /// <summary>Where the file came from, so relative <c>file://</c> references resolve against it.</summary>
    public string? SourcePath { get; }

    public static readonly JsonSerializerOptions SectionOptions = new(WardenJson.Options)
    {
        Converters = { new DurationConverter(), new NullableDurationConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>The node at a dotted path (<c>selfservice.flows.login</c>, <c>identity.schemas.0.url</c>), or null.</summary>
    public JsonNode? Node(string path)
    {
        JsonNode? node = Root;
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                JsonObject obj => obj.TryGetPropertyValue(part, out var child) ? child : null,
                JsonArray array when int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>Binds the section at <paramref name="path"/> to <typeparamref name="T"/>; missing means defaults.</summary>
    public T Section<T>(string path) where T : new()
    {
        var node = Node(path);
        if (node is null) return new T();
        try
        {
            return node.Deserialize<T>(SectionOptions) ?? new T();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new ConfigException(path, e.Message);
        }
    }

    public string? String(string path) => Node(path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : Node(path)?.ToString();

    public bool Bool(string path, bool fallback = false) =>
        Node(path) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    public TimeSpan Duration(string path, TimeSpan fallback)
    {
        if (Node(path) is not JsonValue v || !v.TryGetValue<string>(out var s)) return fallback;
        // Validation normally catches this first; a tree built in code (tests, tools) still gets the key named.
        return GoDuration.TryParse(s, out var d) ? d : throw new ConfigException(path, $"expected a duration such as 30s, 15m, 1h or 1h30m, got \"{s}\"");
    }

    /// <summary>The database DSN; the embedded SQLite file is the default so a first run needs no config.</summary>
    public string Dsn => String("dsn") is { Length: > 0 } dsn ? dsn : "sqlite://warden.db?_fk=true";
}

/// <summary>One thing wrong with the configuration: the dotted key and what is wrong with it.</summary>
public sealed record ConfigProblem(string Key, string Problem)
{
    /// <summary>File-level problems (unreadable, not YAML) have no key; their text stands alone.</summary>
    public const string FileKey = "(file)";

    public override string ToString() => Key == FileKey ? Problem : $"config key '{Key}': {Problem}";
}

/// <summary>A config value that cannot be used; startup stops and names the key (or every key at fault).</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string key, string problem) : this([new ConfigProblem(key, problem)])
    {
    }

    public ConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
    {
        if (problems.Count == 0) throw new ArgumentException("at least one problem is required", nameof(problems));
        Problems = problems;
    }

    /// <summary>The first (or only) key at fault.</summary>
    public string Key => Problems[0].Key;

    public string Problem => Problems[0].Problem;

    public IReadOnlyList<ConfigProblem> Problems { get; }
}
