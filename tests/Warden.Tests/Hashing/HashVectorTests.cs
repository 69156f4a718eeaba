using Warden.Hashing;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Hashing;

/// <summary>Every importable hash format: each vector must match or mismatch exactly as listed, never throw.</summary>
public sealed class HashVectorTests
{
    private static readonly PasswordHasher Hasher = new();

    [Theory]
    [MemberData(nameof(HashVector.Fixture), MemberType = typeof(HashVector))]
    public async Task Vector_verifies_as_expected(string file, int line, string expect, string password, string hash)
    {
        var ok = await Hasher.VerifyAsync(password, hash);
        Assert.True(ok == (expect == "match"), $"{file} line {line}: expected {expect} for {hash}");
    }

    [Theory]
    [MemberData(nameof(HashVector.Fixture), MemberType = typeof(HashVector))]
    public async Task Matching_vector_rejects_a_wrong_password(string file, int line, string expect, string password, string hash)
    {
        if (expect != "match") return;
        Assert.False(await Hasher.VerifyAsync(password + "x", hash), $"{file} line {line}: a different password must not verify");
        Assert.True(Hasher.IsSupported(hash), $"{file} line {line}: a verifiable hash must be a supported import format");
    }

    [Fact]
    public void Fixture_covers_every_format_family()
    {
        var prefixes = HashVector.Read(HashVector.FixturePath).Concat(HashVector.Read(HashVector.WardenFixturePath))
            .Where(v => v.Match).Select(v => Family(v.Hash)).ToHashSet();
        string[] expected =
        [
            "2a", "2b", "2y", "argon2id", "argon2i", "pbkdf2-sha1", "pbkdf2-sha224", "pbkdf2-sha256", "pbkdf2-sha384", "pbkdf2-sha512", "scrypt",
            "firescrypt", "{SSHA}", "{SSHA256}", "{SSHA512}", "sha1", "sha256", "sha512", "md5", "md5-crypt",
            "sha256-crypt", "sha512-crypt", "hmac-md4", "hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256",
            "hmac-sha384", "hmac-sha512",
        ];
        Assert.Empty(expected.Except(prefixes));
    }

    /// <summary>
    /// When ../shared is present its table may be newer than our copy: every row must already be in the
    /// fixture (so it runs as its own test case everywhere), and any new row must at least behave as listed.
    /// </summary>
    [Fact]
    public async Task Shared_reference_vectors_are_all_in_the_fixture()
    {
        if (!Shared.Available) return;
        var ours = HashVector.Read(HashVector.FixturePath).Select(v => (v.Match, v.Password, v.Hash)).ToHashSet();
        var failures = new List<string>();
        foreach (var v in HashVector.Read(Shared.Path("hash-vectors.tsv")))
        {
            if (ours.Contains((v.Match, v.Password, v.Hash))) continue;
            var behaves = await Hasher.VerifyAsync(v.Password, v.Hash) == v.Match;
            failures.Add($"hash-vectors.tsv line {v.Line} is not in Fixtures/Hashing/vectors.tsv ({(behaves ? "it already behaves as listed" : "and it FAILS")}): {v.Hash}");
        }
        Assert.Empty(failures);
    }

    private static string Family(string hash) =>
        hash.StartsWith('{') ? hash[..(hash.IndexOf('}') + 1)] : hash.Split('$')[1];
}
