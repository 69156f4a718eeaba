using System.Text.Json.Nodes;
using Warden.Config;
using Xunit;

namespace Warden.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Loads_yaml_and_merges_files_in_order()
    {
        var config = ConfigFixtures.Profile();
        Assert.Equal("memory", config.Dsn);
        Assert.Equal("debug", config.String("log.level")); // from base.yml
        Assert.Equal("http://127.0.0.1:3000/login", config.String("selfservice.flows.login.ui_url"));
        Assert.Equal(720, config.Duration("session.lifespan", TimeSpan.Zero).TotalHours);
        Assert.EndsWith("profile.kratos.yml", config.SourcePath);

        var layered = ConfigLoader.Load([ConfigFixtures.File("base.yml"), ConfigFixtures.File("profile.kratos.yml"), ConfigFixtures.File("overlay.json")],
            ConfigFixtures.NoEnvironment, dev: false);
        Assert.Equal("warning", layered.String("log.level")); // the JSON file came last
        Assert.Equal(4455, layered.Node("serve.public.port")!.GetValue<long>());
        Assert.Equal("http://127.0.0.1:4433/", layered.String("serve.public.base_url")); // kept from base.yml
        // Lists are replaced as a whole, not concatenated.
        Assert.Equal(["http://127.0.0.1:4455"], layered.Section<List<string>>("selfservice.allowed_return_urls"));
    }

    [Fact]
    public void A_repeated_key_merges_both_sections()
    {
        var config = ConfigFixtures.Profile();
        // profile.kratos.yml has two `methods:` blocks under selfservice, as Kratos' own test profiles do.
        Assert.True(config.Bool("selfservice.methods.password.enabled"));
        Assert.True(config.Bool("selfservice.methods.link.enabled"));
        Assert.True(config.Bool("selfservice.methods.totp.enabled"));
        Assert.Equal("Fixture", config.String("selfservice.methods.totp.config.issuer"));
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_resolve()
    {
        var config = ConfigFixtures.Profile();
        var loginHook = config.Node("selfservice.flows.login.after.password.hooks") as JsonArray;
        var registrationHooks = config.Node("selfservice.flows.registration.after.password.hooks") as JsonArray;
        Assert.NotNull(loginHook);
        Assert.NotNull(registrationHooks);
        Assert.Equal(2, registrationHooks.Count);
        Assert.True(JsonNode.DeepEquals(loginHook[0], registrationHooks[1]));
        // verification: `<<: *recovery` then its own use/ui_url win over the merged ones.
        Assert.Equal("link", config.String("selfservice.flows.verification.use"));
        Assert.Equal("http://127.0.0.1:3000/verification", config.String("selfservice.flows.verification.ui_url"));
        Assert.Equal("1h30m", config.String("selfservice.flows.verification.lifespan"));
        Assert.True(config.Bool("selfservice.flows.verification.enabled"));
    }

    [Fact]
    public void Plain_scalars_are_typed_and_quoted_ones_stay_strings()
    {
        var tree = ConfigLoader.Parse("""
            a: 4433
            b: "4433"
            c: true
            d: 'false'
            e: 1.5
            f: ~
            g:
            h: !!str 12
            i: 0x1F
            j: v1.2.3
            k: .inf
            """);
        Assert.Equal(4433L, tree["a"]!.GetValue<long>());
        Assert.Equal("4433", tree["b"]!.GetValue<string>());
        Assert.True(tree["c"]!.GetValue<bool>());
        Assert.Equal("false", tree["d"]!.GetValue<string>());
        Assert.Equal(1.5, tree["e"]!.GetValue<double>());
        Assert.Null(tree["f"]);
        Assert.True(tree.ContainsKey("g"));
        Assert.Null(tree["g"]);
        Assert.Equal("12", tree["h"]!.GetValue<string>());
        Assert.Equal(31L, tree["i"]!.GetValue<long>());
        Assert.Equal("v1.2.3", tree["j"]!.GetValue<string>());
        Assert.Equal(".inf", tree["k"]!.GetValue<string>());
    }

    [Fact]
    public void Json_files_load_like_yaml()
    {
        var tree = ConfigLoader.ReadFile(ConfigFixtures.File("overlay.json"));
        Assert.Equal(4456L, tree["serve"]!["admin"]!["port"]!.GetValue<long>());
        Assert.Equal("json", tree["log"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void Empty_and_comment_only_files_are_empty_configs()
    {
        Assert.Empty(ConfigLoader.Parse(""));
        Assert.Empty(ConfigLoader.Parse("# nothing here\n"));
    }

    [Theory]
    [InlineData("- a\n- b\n", "mapping")]
    [InlineData("just text", "mapping")]
    [InlineData("a: [1, 2\nb: 3\n", "not valid YAML")]
    [InlineData("a:\n  b: 1\n c: 2\n", "line")]
    [InlineData("a: *nowhere\n", "unknown anchor")]
    public void Malformed_files_fail_with_a_message_naming_the_file(string text, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, "broken.yml"));
        Assert.Contains("broken.yml", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("config key", e.Message); // a file problem, not a key problem
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(["/nonexistent/kratos.yml"], ConfigFixtures.NoEnvironment, dev: false));
        Assert.Contains("/nonexistent/kratos.yml", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Dev_in_the_file_means_dev_mode()
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-dev-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, "dev: true\n");
        try
        {
            Assert.True(ConfigLoader.Load([path], ConfigFixtures.NoEnvironment, dev: false).Dev);
            Assert.False(ConfigLoader.Load([], ConfigFixtures.NoEnvironment, dev: false).Dev);
            Assert.True(ConfigLoader.Load([], ConfigFixtures.NoEnvironment, dev: true).Dev);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void No_files_and_no_environment_is_a_valid_default_config()
    {
        var config = ConfigLoader.Load([], ConfigFixtures.NoEnvironment, dev: false);
        Assert.Equal(["selfservice"], config.Root.Select(p => p.Key));
        Assert.StartsWith("sqlite://", config.Dsn);
    }

    [Fact]
    public void Load_validates_and_reports_the_key()
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-bad-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, "serve:\n  public:\n    port: 99999\n");
        try
        {
            var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load([path], ConfigFixtures.NoEnvironment, dev: false));
            Assert.Equal("serve.public.port", e.Key);
            Assert.Equal("config key 'serve.public.port': expected an integer between 1 and 65535, got 99999", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Without_a_config_file_registration_signs_the_user_in()
    {
        var first = ConfigLoader.Load([], new Dictionary<string, string?>(), dev: false);
        Assert.Equal("session", first.Node("selfservice.flows.registration.after.password.hooks")![0]!["hook"]!.GetValue<string>());
    }

    [Fact]
    public void With_a_config_file_only_its_hooks_apply()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "selfservice:\n  default_browser_return_url: http://localhost:4455/\n");
            var config = ConfigLoader.Load([path], new Dictionary<string, string?>(), dev: false);
            Assert.Null(config.Node("selfservice.flows.registration.after"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
