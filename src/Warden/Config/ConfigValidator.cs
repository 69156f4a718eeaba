using System.Text.Json;
using System.Text.Json.Nodes;

namespace Warden.Config;

/// <summary>
/// Checks a loaded configuration before anything starts: every key must belong to the Kratos format (or a
/// Warden extension) and have the right JSON type, and the keys Warden uses must hold usable values
/// (ports, URLs, durations, enums, secrets, identity schemas). All problems are collected so the operator
/// can fix them in one go; each names its key.
/// </summary>
public static class ConfigValidator
{
    /// <summary>Throws <see cref="ConfigException"/> listing every problem, or returns when there is none.</summary>
    public static void Validate(WardenConfig config)
    {
        var problems = Check(config);
        if (problems.Count > 0) throw new ConfigException(problems);
    }

    /// <summary>Every problem in the configuration, in document order; empty when it is usable.</summary>
    public static IReadOnlyList<ConfigProblem> Check(WardenConfig config)
    {
        var problems = new List<ConfigProblem>();
        Walk(config.Root, [], [], problems, config);
        ConfigRules.CheckAcrossKeys(config, problems);
        return problems;
    }

    private static void Walk(JsonObject obj, List<string> path, List<string> template, List<ConfigProblem> problems, WardenConfig config)
    {
        var catalog = KeyCatalog.Instance;
        var parentType = template.Count == 0 ? null : catalog.TypeOf(string.Join('.', template));
        foreach (var (key, value) in obj)
        {
            path.Add(key);
            template.Add(key);
            var name = string.Join('.', template);
            var type = catalog.TypeOf(name);
            if (type is null)
            {
                // Inside a free-form section (webhook bodies, headers, tracing) anything goes.
                if (parentType is not { Open: true })
                    problems.Add(new(Key(path), "is not a known configuration key (check the spelling and the nesting)"));
            }
            else
            {
                CheckNode(value, path, template, type, problems, config);
            }
            path.RemoveAt(path.Count - 1);
            template.RemoveAt(template.Count - 1);
        }
    }

    private static void CheckNode(JsonNode? value, List<string> path, List<string> template, KeyType type,
        List<ConfigProblem> problems, WardenConfig config)
    {
        // An empty YAML value (`hooks:`) means "not set", as it does for Kratos' defaults.
        if (value is null || type.Any) return;
        var key = Key(path);
        var rule = ConfigRules.Find(template);
        if (rule is not null)
        {
            var problem = rule(value, new RuleContext(key, config));
            if (problem is not null)
            {
                problems.Add(new(key, problem));
                return;
            }
        }
        else if (!type.Accepts(value))
        {
            problems.Add(new(key, $"expected {type.Describe()}, got {Show(value, key)}"));
            return;
        }
        switch (value)
        {
            case JsonObject child:
                Walk(child, path, template, problems, config);
                break;
            case JsonArray array:
                var itemType = KeyCatalog.Instance.TypeOf(string.Join('.', template) + ".#");
                if (itemType is null) break;
                template.Add("#");
                for (var i = 0; i < array.Count; i++)
                {
                    path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    CheckNode(array[i], path, template, itemType, problems, config);
                    path.RemoveAt(path.Count - 1);
                }
                template.RemoveAt(template.Count - 1);
                break;
        }
    }

    internal static string Key(IEnumerable<string> path) => string.Join('.', path);

    /// <summary>
    /// A value as it may appear in an error message. Values of keys that can hold credentials (DSNs,
    /// secrets, passwords, tokens, SMTP URIs, TLS keys, webhook auth) are never echoed.
    /// </summary>
    internal static string Show(JsonNode? value, string key)
    {
        switch (value)
        {
            case null: return "nothing";
            case JsonObject: return "a mapping";
            case JsonArray: return "a list";
        }
        if (IsSensitive(key)) return KeyType.KindOf(value!) == "string" ? "a string (value hidden)" : $"{KeyType.KindOf(value!)} (value hidden)";
        var json = value!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return json.Length <= 80 ? json : json[..77] + "...";
    }

    internal static bool IsSensitive(string key)
    {
        var segments = key.Split('.');
        var last = segments[^1];
        return segments[0] is "dsn" or "secrets" ||
               segments.Any(s => s is "auth" or "headers") ||
               last is "key" or "base64" or "value" ||
               last.Contains("connection_uri", StringComparison.Ordinal) ||
               last.Contains("secret", StringComparison.Ordinal) ||
               last.Contains("password", StringComparison.Ordinal) ||
               last.Contains("token", StringComparison.Ordinal);
    }
}

/// <summary>What a rule knows besides the value: the concrete key and the whole configuration.</summary>
internal sealed record RuleContext(string Key, WardenConfig Config);
