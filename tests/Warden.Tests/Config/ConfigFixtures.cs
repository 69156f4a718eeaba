using System.Text.Json.Nodes;
using Warden.Config;

namespace Warden.Tests.Config;

/// <summary>Our own config fixtures (tests/Warden.Tests/Fixtures/Config) and small helpers around them.</summary>
internal static class ConfigFixtures
{
    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Config", name);

    public static readonly Dictionary<string, string?> NoEnvironment = new();

    /// <summary>base.yml with profile.kratos.yml over it: a realistic, valid configuration.</summary>
    public static WardenConfig Profile(IDictionary<string, string?>? env = null, bool dev = false) =>
        ConfigLoader.LoadUnvalidated([File("base.yml"), File("profile.kratos.yml")], env ?? NoEnvironment, dev);

    /// <summary>A config from inline YAML, not validated.</summary>
    public static WardenConfig Yaml(string yaml, bool dev = false) => new(ConfigLoader.Parse(yaml), dev);

    public static IReadOnlyList<ConfigProblem> Problems(string yaml, bool dev = false) => ConfigValidator.Check(Yaml(yaml, dev));

    public static JsonNode? At(this WardenConfig config, string path) => config.Node(path);
}
