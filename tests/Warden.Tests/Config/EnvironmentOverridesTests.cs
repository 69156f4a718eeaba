using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Config;
using Xunit;

namespace Warden.Tests.Config;

public sealed class EnvironmentOverridesTests
{
    private static WardenConfig Load(params (string Name, string? Value)[] env) =>
        ConfigLoader.LoadUnvalidated([], env.ToDictionary(e => e.Name, e => e.Value), dev: false);

    [Fact]
    public void Port_becomes_an_integer()
    {
        var node = Load(("SERVE_PUBLIC_PORT", "4455")).Node("serve.public.port");
        Assert.Equal(JsonValueKind.Number, node!.GetValueKind());
        Assert.Equal(4455L, node.GetValue<long>());
        Assert.Equal(4455, Load(("SERVE_PUBLIC_PORT", "4455")).Section<ServeEndpointConfig>("serve.public").Port);
    }

    [Fact]
    public void Segment_names_with_underscores_are_resolved()
    {
        var config = Load(
            ("SELFSERVICE_FLOWS_LOGIN_UI_URL", "https://app.example.org/login"),
            ("SELFSERVICE_DEFAULT_BROWSER_RETURN_URL", "https://app.example.org/"),
            ("SERVE_ADMIN_BASE_URL", "http://admin.internal:4434/"),
            ("SESSION_COOKIE_SAME_SITE", "Strict"));
        Assert.Equal("https://app.example.org/login", config.String("selfservice.flows.login.ui_url"));
        Assert.Equal("https://app.example.org/", config.String("selfservice.default_browser_return_url"));
        Assert.Equal("http://admin.internal:4434/", config.String("serve.admin.base_url"));
        Assert.Equal("Strict", config.String("session.cookie.same_site"));
        Assert.Empty(ConfigValidator.Check(config));
    }

    [Fact]
    public void Dsn_and_strings_stay_text_even_when_they_look_like_numbers()
    {
        var config = Load(("DSN", "postgres://warden:pw@db:5432/warden?sslmode=disable"), ("IDENTITY_DEFAULT_SCHEMA_ID", "1234"));
        Assert.Equal("postgres://warden:pw@db:5432/warden?sslmode=disable", config.Dsn);
        Assert.Equal(JsonValueKind.String, config.Node("identity.default_schema_id")!.GetValueKind());
    }

    [Fact]
    public void Booleans_accept_gos_spellings()
    {
        Assert.True(Load(("SELFSERVICE_FLOWS_RECOVERY_ENABLED", "true")).Bool("selfservice.flows.recovery.enabled"));
        Assert.True(Load(("SELFSERVICE_FLOWS_RECOVERY_ENABLED", "1")).Bool("selfservice.flows.recovery.enabled"));
        Assert.False(Load(("SELFSERVICE_FLOWS_RECOVERY_ENABLED", "F")).Bool("selfservice.flows.recovery.enabled", fallback: true));
    }

    [Fact]
    public void String_lists_take_comma_separated_values_or_json()
    {
        Assert.Equal(["first-secret-0123456789", "second-secret-0123456789"],
            Load(("SECRETS_COOKIE", "first-secret-0123456789,second-secret-0123456789")).Section<List<string>>("secrets.cookie"));
        Assert.Equal(["only-one-secret-0123456789"],
            Load(("SECRETS_COOKIE", "only-one-secret-0123456789")).Section<List<string>>("secrets.cookie"));
        Assert.Equal(["with,comma-0123456789", "plain-0123456789012"],
            Load(("SECRETS_COOKIE", "\"with,comma-0123456789\",plain-0123456789012")).Section<List<string>>("secrets.cookie"));
        Assert.Equal(["a-json-secret-0123456789", "b-json-secret-0123456789"],
            Load(("SECRETS_COOKIE", "[\"a-json-secret-0123456789\",\"b-json-secret-0123456789\"]")).Section<List<string>>("secrets.cookie"));
        Assert.Equal(["http://a.example", "https://b.example/cb"],
            Load(("SELFSERVICE_ALLOWED_RETURN_URLS", "http://a.example,https://b.example/cb")).Section<List<string>>("selfservice.allowed_return_urls"));
    }

    [Fact]
    public void Lists_of_objects_take_json()
    {
        var config = Load(("IDENTITY_SCHEMAS", """[{"id":"default","url":"file:///etc/warden/identity.schema.json"},{"id":"staff","url":"base64://e30="}]"""));
        var schemas = Assert.IsType<JsonArray>(config.Node("identity.schemas"));
        Assert.Equal(2, schemas.Count);
        Assert.Equal("staff", schemas[1]!["id"]!.GetValue<string>());
        Assert.Empty(ConfigValidator.Check(config));
    }

    [Fact]
    public void Indexed_names_reach_into_lists()
    {
        var config = ConfigLoader.LoadUnvalidated([ConfigFixtures.File("base.yml"), ConfigFixtures.File("profile.kratos.yml")],
            new Dictionary<string, string?> { ["IDENTITY_SCHEMAS_1_URL"] = "https://schemas.example.org/staff.json", ["SECRETS_COOKIE_0"] = "replaced-cookie-secret-01" },
            dev: false);
        Assert.Equal("https://schemas.example.org/staff.json", config.String("identity.schemas.1.url"));
        Assert.Equal("employee", config.String("identity.schemas.1.id")); // the rest of the entry is kept
        Assert.Equal("replaced-cookie-secret-01", config.Node("secrets.cookie")![0]!.GetValue<string>());
    }

    [Fact]
    public void Environment_wins_over_files()
    {
        var config = ConfigFixtures.Profile(new Dictionary<string, string?> { ["LOG_LEVEL"] = "error", ["DSN"] = "sqlite:///var/lib/warden/db.sqlite" });
        Assert.Equal("error", config.String("log.level"));
        Assert.Equal("sqlite:///var/lib/warden/db.sqlite", config.Dsn);
        Assert.Equal("text", config.String("log.format")); // untouched siblings stay
    }

    [Fact]
    public void Unrelated_and_empty_variables_are_ignored()
    {
        var config = Load(
            ("PATH", "/usr/bin:/bin"), ("HOME", "/root"), ("HOSTNAME", "box"), ("DOTNET_ROOT", "/usr/share/dotnet"),
            ("SERVE_PUBLIC_NOPE", "1"), ("SERVE", "not-json"), ("VERSION", "1.2.3"), ("CONFIG", "/etc/x"), ("HELP", "yes"),
            ("SERVE_ADMIN_PORT", ""), ("LOG_LEVEL", null));
        Assert.Null(config.Node("serve.public.nope"));
        Assert.Null(config.Node("version"));
        Assert.Null(config.Node("config"));
        Assert.Null(config.Node("serve.admin.port"));
        Assert.Null(config.Node("log.level"));
        Assert.Equal(JsonValueKind.String, config.Node("serve")!.GetValueKind()); // SERVE names a key; validation reports it
        Assert.Contains(ConfigValidator.Check(config), p => p.Key == "serve");
    }

    [Fact]
    public void A_bad_value_is_kept_so_validation_names_the_key()
    {
        var config = Load(("SERVE_PUBLIC_PORT", "abc"));
        var problem = Assert.Single(ConfigValidator.Check(config));
        Assert.Equal("config key 'serve.public.port': expected an integer between 1 and 65535, got \"abc\"", problem.ToString());
    }

    [Fact]
    public void Mapping_keys_take_json_objects()
    {
        var config = Load(("SERVE_PUBLIC", """{"port": 4500, "host": "127.0.0.1"}"""));
        Assert.Equal(4500L, config.Node("serve.public.port")!.GetValue<long>());
        Assert.Empty(ConfigValidator.Check(config));
    }
}
