using Warden.Config;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Config;

/// <summary>
/// Every Kratos end-to-end profile (../shared/reference/kratos/profiles/*/.kratos.yml merged over
/// kratos.base.yml) must load and validate. Runs only where ../shared is present; the same behaviour is
/// covered by our own fixtures everywhere else.
/// </summary>
public sealed class KratosProfilesTests
{
    public static TheoryData<string> Profiles()
    {
        var data = new TheoryData<string>();
        // xunit fails a theory without data, so without ../shared there is one case that returns at once.
        if (!Shared.Available) return new TheoryData<string> { NotAvailable };
        foreach (var dir in Directory.GetDirectories(Shared.Path("profiles")).Order(StringComparer.Ordinal))
            if (File.Exists(Path.Combine(dir, ".kratos.yml"))) data.Add(Path.GetFileName(dir));
        return data;
    }

    private const string NotAvailable = "(../shared not present)";

    [Fact]
    public void Profiles_are_found_when_shared_is_present()
    {
        if (!Shared.Available) return;
        Assert.True(Profiles().Count >= 10);
    }

    [Theory, MemberData(nameof(Profiles))]
    public void Profile_loads_and_validates(string profile)
    {
        if (profile == NotAvailable) return;
        var config = ConfigLoader.Load(
            [Shared.Path("profiles/kratos.base.yml"), Shared.Path($"profiles/{profile}/.kratos.yml")],
            new Dictionary<string, string?>(), dev: true);
        Assert.NotEmpty(config.Root);
        Assert.Empty(ConfigValidator.Check(config));
        // Unsupported parts are reported, never thrown.
        _ = SupportedKeys.FindUnsupported(config.Root);
    }

    /// <summary>Loading is not enough: every feature must accept the profile when the host is built.</summary>
    [Theory, MemberData(nameof(Profiles))]
    public async Task Profile_builds_a_host(string profile)
    {
        if (profile == NotAvailable) return;
        var config = ConfigLoader.Load(
            [Shared.Path("profiles/kratos.base.yml"), Shared.Path($"profiles/{profile}/.kratos.yml")],
            new Dictionary<string, string?> { ["DSN"] = "memory", ["SERVE_PUBLIC_PORT"] = "0", ["SERVE_ADMIN_PORT"] = "0" }, dev: true);
        await using var host = WardenHost.Create(config, _ => { });
    }

    [Fact]
    public void Base_profile_alone_validates_outside_dev_mode()
    {
        if (!Shared.Available) return;
        var config = ConfigLoader.Load([Shared.Path("profiles/kratos.base.yml")], new Dictionary<string, string?>(), dev: false);
        Assert.Equal("argon2", config.String("hashers.algorithm"));
    }

    [Fact]
    public void Catalog_knows_every_top_level_key_of_the_kratos_schema()
    {
        if (!Shared.Available) return;
        using var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Shared.Path("config.schema.json")));
        var catalog = KeyCatalog.Instance;
        foreach (var property in schema.RootElement.GetProperty("properties").EnumerateObject())
            Assert.True(catalog.TypeOf(property.Name) is not null, property.Name);
        Assert.Equal("integer", string.Join('|', catalog.TypeOf("serve.public.port")!.Kinds));
        Assert.NotNull(catalog.TypeOf("selfservice.flows.login.after.password.hooks.#.hook"));
    }
}
