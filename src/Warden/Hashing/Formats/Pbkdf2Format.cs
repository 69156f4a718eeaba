using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace Warden.Hashing.Formats;

internal sealed record Pbkdf2Params(string Digest, int Iterations, int SaltLength, int KeyLength);

/// <summary>PBKDF2 in PHC form, <c>$pbkdf2-sha512$i=100000,l=32$&lt;salt&gt;$&lt;key&gt;</c>, unpadded base64.</summary>
internal sealed class Pbkdf2Format : IHashFormat
{
    public static readonly string[] Digests = ["sha1", "sha224", "sha256", "sha384", "sha512"];
    private const int MaxKeyLength = 1024;

    public bool Claims(string hash) => hash.StartsWith("$pbkdf2-", StringComparison.Ordinal);

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var p, out var salt, out var expected)) return false;
        return HashEncoding.FixedTimeEquals(Derive(p.Digest, password, salt, p.Iterations, p.KeyLength), expected);
    }

    public static Pbkdf2Params? ParamsOf(string hash) => TryParse(hash, out var p, out _, out _) ? p : null;

    public static string Hash(byte[] password, Pbkdf2Params p)
    {
        var salt = HashEncoding.RandomBytes(p.SaltLength);
        var key = Derive(p.Digest, password, salt, p.Iterations, p.KeyLength);
        return Encode(p, salt, key);
    }

    public static string Encode(Pbkdf2Params p, byte[] salt, byte[] key) =>
        $"$pbkdf2-{p.Digest}$i={p.Iterations},l={p.KeyLength}${HashEncoding.EncodeRaw(salt)}${HashEncoding.EncodeRaw(key)}";

    private static byte[] Derive(string digest, byte[] password, byte[] salt, int iterations, int length)
    {
        switch (digest)
        {
            case "sha1": return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA1, length);
            case "sha256": return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);
            case "sha512": return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, length);
        }
        // Kratos compat: "sha224" and "sha384" in Kratos' pbkdf2 hashes mean SHA3-224 and SHA3-384, not SHA-2
        // (the published vectors only verify that way). BouncyCastle has SHA3-224; the platform does not.
        var generator = new Pkcs5S2ParametersGenerator(new Sha3Digest(digest == "sha224" ? 224 : 384));
        generator.Init(password, salt, iterations);
        return ((KeyParameter)generator.GenerateDerivedMacParameters(length * 8)).GetKey();
    }

    private static bool TryParse(string hash, out Pbkdf2Params p, out byte[] salt, out byte[] expected)
    {
        p = null!;
        salt = expected = [];
        var parts = hash.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0 || !parts[1].StartsWith("pbkdf2-", StringComparison.Ordinal)) return false;
        var digest = parts[1]["pbkdf2-".Length..];
        if (!Digests.Contains(digest)) return false;
        Span<long> v = stackalloc long[2];
        if (!HashEncoding.TryParseParams(parts[2], ["i", "l"], v)) return false;
        if (v[0] is < 1 or > int.MaxValue || v[1] is < 1 or > MaxKeyLength) return false;
        if (!HashEncoding.TryDecodeRaw(parts[3], out salt) || salt.Length == 0) return false;
        if (!HashEncoding.TryDecodeRaw(parts[4], out expected) || expected.Length != v[1]) return false;
        p = new Pbkdf2Params(digest, (int)v[0], salt.Length, (int)v[1]);
        return true;
    }
}
