using Microsoft.Extensions.Logging;
using Warden.Hashing;
using Xunit;
using static Warden.Tests.Hashing.HashingOptionsTests;

namespace Warden.Tests.Hashing;

public sealed class PasswordHasherTests
{
    // Cheap parameters: the tests are about formats and decisions, not about cost.
    private static readonly PasswordHasher Bcrypt = Hasher("hashers: {bcrypt: {cost: 4}}");
    private static readonly PasswordHasher Argon2 = Hasher("hashers: {algorithm: argon2, argon2: {memory: 64KB, iterations: 2, parallelism: 2}}");
    private static readonly PasswordHasher Pbkdf2 = Hasher("hashers: {algorithm: pbkdf2, pbkdf2: {iterations: 1000}}");

    private static PasswordHasher Hasher(string yaml, ILogger? logger = null, bool argon2Available = true) =>
        new(HashingOptions.From(ConfigFrom(yaml, dev: true)), logger, argon2Available);

    public static TheoryData<string, string> Configured() => new()
    {
        { "bcrypt", "$2a$04$" },
        { "argon2", "$argon2id$v=19$m=64,t=2,p=2$" },
        { "pbkdf2", "$pbkdf2-sha512$i=1000,l=32$" },
    };

    private static PasswordHasher For(string algorithm) => algorithm switch
    {
        "bcrypt" => Bcrypt,
        "argon2" => Argon2,
        _ => Pbkdf2,
    };

    [Theory]
    [MemberData(nameof(Configured))]
    public async Task Round_trip_in_the_kratos_format(string algorithm, string prefix)
    {
        var hasher = For(algorithm);
        var hash = await hasher.HashAsync("correct horse ☃");
        Assert.StartsWith(prefix, hash);
        Assert.True(await hasher.VerifyAsync("correct horse ☃", hash));
        Assert.False(await hasher.VerifyAsync("correct horse", hash));
        Assert.False(await hasher.VerifyAsync("", hash));
        Assert.True(hasher.IsSupported(hash));
        Assert.False(hasher.NeedsRehash(hash));
        // Fresh salt every time.
        Assert.NotEqual(hash, await hasher.HashAsync("correct horse ☃"));
        // The empty password is still a real input (policy, not hashing, decides whether it is allowed).
        var empty = await hasher.HashAsync("");
        Assert.True(await hasher.VerifyAsync("", empty));
        Assert.False(await hasher.VerifyAsync(" ", empty));
    }

    [Fact]
    public async Task Argon2_hash_has_the_configured_salt_and_key_lengths_unpadded()
    {
        var hash = await Argon2.HashAsync("pw");
        var parts = hash.Split('$');
        Assert.DoesNotContain('=', parts[4] + parts[5]);
        Assert.Equal(16, Convert.FromBase64String(parts[4] + "==").Length);
        Assert.Equal(32, Convert.FromBase64String(parts[5] + "=").Length);
    }

    [Fact]
    public async Task Bcrypt_accepts_72_bytes_and_rejects_73_without_truncating()
    {
        var max = new string('a', 72);
        var hash = await Bcrypt.HashAsync(max);
        Assert.True(await Bcrypt.VerifyAsync(max, hash));
        await Assert.ThrowsAsync<PasswordTooLongException>(() => Bcrypt.HashAsync(max + "b"));
        // bcrypt itself would ignore the 73rd byte; Warden must not accept it as the same password.
        Assert.False(await Bcrypt.VerifyAsync(max + "b", hash));
        // The limit is bytes, not characters: 25 euro signs are 75 bytes.
        await Assert.ThrowsAsync<PasswordTooLongException>(() => Bcrypt.HashAsync(new string('€', 25)));
        // Other algorithms have no such limit.
        Assert.True(await Pbkdf2.VerifyAsync(max + "b", await Pbkdf2.HashAsync(max + "b")));
    }

    [Fact]
    public async Task NeedsRehash_is_true_whenever_algorithm_or_parameters_differ()
    {
        var bcrypt4 = await Bcrypt.HashAsync("pw");
        var bcrypt5 = await Hasher("hashers: {bcrypt: {cost: 5}}").HashAsync("pw");
        var argon2 = await Argon2.HashAsync("pw");
        var argon2More = await Hasher("hashers: {algorithm: argon2, argon2: {memory: 128KB, iterations: 2, parallelism: 2}}").HashAsync("pw");
        var argon2Key = await Hasher("hashers: {algorithm: argon2, argon2: {memory: 64KB, iterations: 2, parallelism: 2, key_length: 16}}").HashAsync("pw");
        var pbkdf2 = await Pbkdf2.HashAsync("pw");
        var pbkdf2Sha256 = await Hasher("hashers: {algorithm: pbkdf2, pbkdf2: {algorithm: sha256, iterations: 1000}}").HashAsync("pw");
        const string argon2i = "$argon2i$v=19$m=64,t=2,p=2$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw";
        const string ssha = "{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a";

        var cases = new (PasswordHasher Hasher, string Hash, bool Expected)[]
        {
            (Bcrypt, bcrypt4, false), (Bcrypt, bcrypt5, true), (Bcrypt, argon2, true), (Bcrypt, pbkdf2, true), (Bcrypt, ssha, true),
            (Argon2, argon2, false), (Argon2, argon2More, true), (Argon2, argon2Key, true), (Argon2, argon2i, true), (Argon2, bcrypt4, true),
            (Pbkdf2, pbkdf2, false), (Pbkdf2, pbkdf2Sha256, true), (Pbkdf2, bcrypt4, true), (Pbkdf2, "", true), (Pbkdf2, "garbage", true),
        };
        var wrong = cases.Where(c => c.Hasher.NeedsRehash(c.Hash) != c.Expected).Select(c => $"{c.Hasher.Options.Algorithm} / {c.Hash}");
        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("")]
    [InlineData("password")]
    [InlineData("$unknown$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6")]
    [InlineData("$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL")] // one character short
    [InlineData("$2a$03$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6")] // cost out of range
    [InlineData("$argon2id$v=16$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw")] // unknown version
    [InlineData("$argon2id$v=19$m=4194304,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw")] // 4 GiB of memory
    [InlineData("$pbkdf2-md5$i=1000,l=32$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=100000,l=16$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI")] // l lies
    [InlineData("$scrypt$ln=2097152,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE=")] // 2 GiB
    [InlineData("$scrypt$ln=1073741824,r=576460752303423488,p=16$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE=")] // overflows 64 bits
    [InlineData("$firescrypt$ln=30,r=8,p=1$sPtDhWcd1MfdAw==$xbSou7FOl6mChCyzpCPIQ7tku7nsQMTFtyOZSXXd7tjBa4NtimOx7v42Gv2SfzPQu1oxM2/k4SsbOu73wlKe1A==$Bw==$YE0dO4bwD4JnJafh6lZZfkp1MtKzuKAXQcDCJNJNyeCHairWHKENOkbh3dzwaCdizzOspwr/FITUVlnOAwPKyw==")]
    [InlineData("{SSHA}tooshort")]
    [InlineData("{SSHA} JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a")]
    [InlineData("$md5$$$")]
    [InlineData("$sha1$pf=$NW9wbWtnejAzcg==$2qU2SGWP8viTM1md3FiI3+rjWXQ=")]
    [InlineData("$md5-crypt$toolongsalt$SN6/pUaRQS/E8Jh46As2C/")]
    [InlineData("$sha256-crypt$rounds=-5$05R.9KB6UC2kLI3w$Q/zslzx./JjkAVPTwp6th7nW5l7JU91Gte/UmIh.U78")]
    [InlineData("$hmac-sha1$bm90IGhleA==$MTIzNDU=")]
    public async Task Unknown_and_malformed_hashes_are_unsupported_and_never_verify(string hash)
    {
        Assert.False(Bcrypt.IsSupported(hash));
        Assert.False(await Bcrypt.VerifyAsync("test", hash));
    }

    [Fact]
    public async Task Argon2_hash_without_the_library_is_false_and_logs_one_error_without_the_password()
    {
        var log = new CapturingLogger();
        var hasher = Hasher("hashers: {bcrypt: {cost: 4}}", log, argon2Available: false);
        const string secret = "test-secret-password";
        Assert.False(await hasher.VerifyAsync(secret, "$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw"));
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("libargon2", entry.Message);
        Assert.DoesNotContain(secret, entry.Message);
        // Everything else keeps working.
        Assert.True(await hasher.VerifyAsync("test", "$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6"));
    }

    [Fact]
    public async Task Dummy_verification_uses_the_configured_algorithm_and_never_throws()
    {
        await Bcrypt.DummyVerifyAsync("anything");
        await Bcrypt.DummyVerifyAsync(new string('x', 100));
        await Argon2.DummyVerifyAsync("anything");
        await Pbkdf2.DummyVerifyAsync(null!);
    }

    [Fact]
    public async Task The_dummy_hash_has_the_configured_parameters_so_it_costs_a_real_verification()
    {
        foreach (var hasher in new[] { Bcrypt, Argon2, Pbkdf2 })
        {
            var dummy = hasher.DummyHashValue;
            Assert.True(hasher.IsSupported(dummy), dummy);
            // Not due for a re-hash means: same algorithm and the same cost parameters as a fresh hash.
            Assert.False(hasher.NeedsRehash(dummy), dummy);
            Assert.StartsWith((await hasher.HashAsync("pw"))[..4], dummy);
            Assert.False(await hasher.VerifyAsync("", dummy));
        }
    }

    [Fact]
    public async Task Null_or_empty_inputs_are_false_not_exceptions()
    {
        Assert.False(await Bcrypt.VerifyAsync(null!, "$2a$04$abc"));
        Assert.False(await Bcrypt.VerifyAsync("pw", null!));
        Assert.False(Bcrypt.IsSupported(null!));
        Assert.True(Bcrypt.NeedsRehash(null!));
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception) + exception));
        }
    }
}
