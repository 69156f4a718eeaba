using System.Security.Cryptography;

namespace Warden.Hashing.Formats;

/// <summary>
/// Plain digests with an optional salt pattern, as used by many legacy user tables:
/// <c>$md5$&lt;hash&gt;</c> (unsalted MD5) and <c>$md5|sha1|sha256|sha512$pf=&lt;pattern&gt;$&lt;salt&gt;$&lt;hash&gt;</c>,
/// all parts padded base64. The pattern (e.g. <c>{SALT}{PASSWORD}</c>) says how the digest input is built.
/// </summary>
internal sealed class DigestPatternFormat : IHashFormat
{
    private static readonly byte[] SaltToken = "{SALT}"u8.ToArray();
    private static readonly byte[] PasswordToken = "{PASSWORD}"u8.ToArray();

    private static readonly Dictionary<string, Func<byte[], byte[]>> Digests = new()
    {
        ["md5"] = MD5.HashData,
        ["sha1"] = SHA1.HashData,
        ["sha256"] = SHA256.HashData,
        ["sha512"] = SHA512.HashData,
    };

    public bool Claims(string hash) => AlgorithmOf(hash) is not null;

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var digest, out var pattern, out var salt, out var expected)) return false;
        var input = pattern is null ? password : Expand(pattern, salt, password);
        return HashEncoding.FixedTimeEquals(digest(input), expected);
    }

    private static string? AlgorithmOf(string hash)
    {
        foreach (var name in Digests.Keys)
            if (hash.Length > name.Length + 2 && hash[0] == '$' && hash.AsSpan(1).StartsWith(name) && hash[name.Length + 1] == '$')
                return name;
        return null;
    }

    /// <summary>
    /// One left-to-right pass, so a salt that happens to contain "{PASSWORD}" is never expanded again.
    /// Text outside the tokens is copied as is.
    /// </summary>
    private static byte[] Expand(byte[] pattern, byte[] salt, byte[] password)
    {
        var output = new List<byte>(pattern.Length + salt.Length + password.Length);
        for (var i = 0; i < pattern.Length;)
        {
            var rest = pattern.AsSpan(i);
            if (rest.StartsWith(SaltToken)) { output.AddRange(salt); i += SaltToken.Length; }
            else if (rest.StartsWith(PasswordToken)) { output.AddRange(password); i += PasswordToken.Length; }
            else output.Add(pattern[i++]);
        }
        return [.. output];
    }

    private static bool TryParse(string hash, out Func<byte[], byte[]> digest, out byte[]? pattern, out byte[] salt, out byte[] expected)
    {
        digest = null!;
        pattern = null;
        salt = expected = [];
        if (AlgorithmOf(hash) is not { } name) return false;
        digest = Digests[name];
        var size = digest([]).Length;
        var parts = hash.Split('$');
        switch (parts.Length)
        {
            case 3 when name == "md5":
                return HashEncoding.TryDecodePadded(parts[2], out expected) && expected.Length == size;
            case 5 when parts[2].StartsWith("pf=", StringComparison.Ordinal):
                if (!HashEncoding.TryDecodePadded(parts[2][3..], out var p) || p.Length == 0) return false;
                pattern = p;
                return HashEncoding.TryDecodePadded(parts[3], out salt) &&
                       HashEncoding.TryDecodePadded(parts[4], out expected) && expected.Length == size;
            default:
                return false;
        }
    }
}
