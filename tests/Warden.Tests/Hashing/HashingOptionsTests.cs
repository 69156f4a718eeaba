using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Warden.Config;
using Warden.Hashing;
using Xunit;

namespace Warden.Tests.Hashing;

public sealed class HashingOptionsTests
{
    internal static WardenConfig ConfigFrom(string yaml, bool dev = false) => new(ConfigLoader.Parse(yaml), dev);

    [Fact]
    public void Defaults_are_bcrypt_cost_12_and_kratos_argon2_defaults()
    {
        var o = HashingOptions.From(new WardenConfig(new JsonObject()));
        Assert.Equal(HashAlgorithm.Bcrypt, o.Algorithm);
        Assert.Equal(12, o.BcryptCost);
        Assert.Equal(128u * 1024, o.Argon2.MemoryKiB);
        Assert.Equal(1u, o.Argon2.Iterations);
        Assert.Equal((uint)Math.Min(255, 2 * Environment.ProcessorCount), o.Argon2.Parallelism);
        Assert.Equal(16, o.Argon2.SaltLength);
        Assert.Equal(32, o.Argon2.KeyLength);
        Assert.Equal(Environment.ProcessorCount, o.MaxConcurrency);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    public void Bcrypt_cost_below_12_without_dev_names_the_key(int cost)
    {
        var e = Assert.Throws<ConfigException>(() => HashingOptions.From(ConfigFrom($"hashers: {{bcrypt: {{cost: {cost}}}}}")));
        Assert.Equal("hashers.bcrypt.cost", e.Key);
    }

    [Fact]
    public void Bcrypt_cost_below_12_is_allowed_in_dev_but_not_below_4()
    {
        Assert.Equal(4, HashingOptions.From(ConfigFrom("hashers: {bcrypt: {cost: 4}}", dev: true)).BcryptCost);
        Assert.Equal("hashers.bcrypt.cost", Assert.Throws<ConfigException>(() => HashingOptions.From(ConfigFrom("hashers: {bcrypt: {cost: 3}}", dev: true))).Key);
        Assert.Equal("hashers.bcrypt.cost", Assert.Throws<ConfigException>(() => HashingOptions.From(ConfigFrom("hashers: {bcrypt: {cost: 32}}"))).Key);
    }

    [Fact]
    public void Unknown_algorithm_names_the_key()
    {
        Assert.Equal("hashers.algorithm", Assert.Throws<ConfigException>(() => HashingOptions.From(ConfigFrom("hashers: {algorithm: md5}"))).Key);
    }

    [Theory]
    [InlineData("128MB", 131072u)]
    [InlineData("1GB", 1048576u)]
    [InlineData("64KB", 64u)]
    [InlineData("65536B", 64u)]
    [InlineData("19MB", 19456u)]
    public void Argon2_memory_takes_kratos_byte_sizes(string size, uint kib)
    {
        var o = HashingOptions.From(ConfigFrom($"hashers: {{algorithm: argon2, argon2: {{memory: {size}, parallelism: 1}}}}"));
        Assert.Equal(kib, o.Argon2.MemoryKiB);
    }

    [Theory]
    [InlineData("19MiB")]
    [InlineData("19mb")]
    [InlineData(" 19MB")]
    [InlineData("lots")]
    [InlineData("12")]
    public void Argon2_memory_that_is_no_size_names_the_key(string size)
    {
        var e = Assert.Throws<ConfigException>(() =>
            HashingOptions.From(ConfigFrom($"hashers: {{argon2: {{memory: \"{size}\", parallelism: 4}}}}")));
        Assert.Equal("hashers.argon2.memory", e.Key);
    }

    [Theory]
    [InlineData("1KB", 4, 32u)]
    [InlineData("8KB", 4, 32u)]
    [InlineData("1KB", 1, 8u)]
    public void Argon2_memory_below_8KB_per_lane_is_raised_like_kratos_does(string size, int lanes, uint kib)
    {
        var o = HashingOptions.From(ConfigFrom($"hashers: {{algorithm: argon2, argon2: {{memory: \"{size}\", parallelism: {lanes}}}}}"));
        Assert.Equal(kib, o.Argon2.MemoryKiB);
    }

    [Fact]
    public void Argon2_memory_as_a_bare_number_names_the_key()
    {
        Assert.Equal("hashers.argon2.memory", Assert.Throws<ConfigException>(() => HashingOptions.From(ConfigFrom("hashers: {argon2: {memory: 131072}}"))).Key);
    }

    [Theory]
    [InlineData("iterations: 0", "hashers.argon2.iterations")]
    [InlineData("parallelism: 0", "hashers.argon2.parallelism")]
    [InlineData("salt_length: 8", "hashers.argon2.salt_length")]
    [InlineData("key_length: 4", "hashers.argon2.key_length")]
    public void Argon2_values_below_the_schema_minimum_name_their_key(string setting, string key)
    {
        Assert.Equal(key, Assert.Throws<ConfigException>(() => HashingOptions.From(ConfigFrom($"hashers: {{argon2: {{{setting}}}}}"))).Key);
    }

    [Fact]
    public void Argon2_section_reads_every_key_and_ignores_the_monitoring_ones()
    {
        var o = HashingOptions.From(ConfigFrom("""
            hashers:
              algorithm: argon2
              argon2: {memory: 64MB, iterations: 3, parallelism: 2, salt_length: 24, key_length: 48, expected_duration: 1s, dedicated_memory: 2GB}
            """));
        Assert.Equal(HashAlgorithm.Argon2, o.Algorithm);
        Assert.Equal(new Warden.Hashing.Formats.Argon2Params(Warden.Hashing.Formats.Argon2Native.Variant.Id, 65536, 3, 2, 24, 48), o.Argon2);
        Assert.Equal(2UL << 30, o.MaxHashMemoryBytes);
    }

    [Fact]
    public void Pbkdf2_and_limits_are_configurable()
    {
        var o = HashingOptions.From(ConfigFrom("""
            hashers: {algorithm: pbkdf2, pbkdf2: {algorithm: sha256, iterations: 300000, salt_length: 32, key_length: 64}}
            warden: {hashing: {max_concurrency: 3, max_queue: 7}}
            """));
        Assert.Equal(HashAlgorithm.Pbkdf2, o.Algorithm);
        Assert.Equal(new Warden.Hashing.Formats.Pbkdf2Params("sha256", 300000, 32, 64), o.Pbkdf2);
        Assert.Equal((3, 7), (o.MaxConcurrency, o.MaxQueue));
        Assert.Equal("hashers.pbkdf2.algorithm", Assert.Throws<ConfigException>(() => HashingOptions.From(ConfigFrom("hashers: {pbkdf2: {algorithm: md5}}"))).Key);
        Assert.Equal("warden.hashing.max_concurrency", Assert.Throws<ConfigException>(() => HashingOptions.From(ConfigFrom("warden: {hashing: {max_concurrency: 0}}"))).Key);
    }

    [Fact]
    public void Feature_fails_at_registration_for_a_bad_config_and_registers_one_hasher_otherwise()
    {
        var feature = new HashingFeature();
        Assert.Throws<ConfigException>(() => feature.AddServices(new ServiceCollection(), ConfigFrom("hashers: {bcrypt: {cost: 10}}")));

        var services = new ServiceCollection();
        services.AddLogging();
        feature.AddServices(services, ConfigFrom("hashers: {bcrypt: {cost: 10}}", dev: true));
        using var provider = services.BuildServiceProvider();
        var hasher = provider.GetRequiredService<PasswordHasher>();
        Assert.Same(hasher, provider.GetRequiredService<PasswordHasher>());
        Assert.Equal(10, hasher.Options.BcryptCost);
    }

    [Fact]
    public async Task Host_startup_stops_on_a_weak_bcrypt_cost_and_uses_the_configured_hasher()
    {
        var weak = ConfigFrom("dsn: memory\nhashers: {bcrypt: {cost: 11}}");
        Assert.Equal("hashers.bcrypt.cost", Assert.Throws<ConfigException>(() => WardenHost.Create(weak, _ => { })).Key);

        await using var host = WardenHost.Create(ConfigFrom("dsn: memory\nhashers: {algorithm: pbkdf2, pbkdf2: {iterations: 20000}}"), _ => { });
        var hasher = (PasswordHasher)host.Services.GetRequiredService(typeof(PasswordHasher));
        Assert.StartsWith("$pbkdf2-sha512$i=20000,l=32$", await hasher.HashAsync("pw"));
    }

    [Fact]
    public void Argon2_without_the_native_library_fails_startup_only_when_argon2_is_configured()
    {
        var argon2 = HashingOptions.From(ConfigFrom("hashers: {algorithm: argon2}"));
        Assert.Equal("hashers.algorithm", Assert.Throws<ConfigException>(() => new PasswordHasher(argon2, null, argon2Available: false)).Key);
        _ = new PasswordHasher(HashingOptions.From(ConfigFrom("hashers: {algorithm: bcrypt}")), null, argon2Available: false);
    }
}
