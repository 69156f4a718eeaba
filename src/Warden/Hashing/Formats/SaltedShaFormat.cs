using System.Security.Cryptography;

namespace Warden.Hashing.Formats;

/// <summary>
/// LDAP salted SHA (<c>{SSHA}</c>, <c>{SSHA256}</c>, <c>{SSHA512}</c>): base64 of digest(password ‖ salt) ‖ salt.
/// </summary>
internal sealed class SaltedShaFormat : IHashFormat
{
    private static readonly (string Prefix, int Size, Func<byte[], byte[]> Digest)[] Variants =
    [
        ("{SSHA}", 20, SHA1.HashData),
        ("{SSHA256}", 32, SHA256.HashData),
        ("{SSHA512}", 64, SHA512.HashData),
    ];

    public bool Claims(string hash) => Variant(hash) is not null;

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var digest, out var expected, out var salt)) return false;
        return HashEncoding.FixedTimeEquals(digest([.. password, .. salt]), expected);
    }

    private static (string Prefix, int Size, Func<byte[], byte[]> Digest)? Variant(string hash)
    {
        foreach (var v in Variants)
            if (hash.StartsWith(v.Prefix, StringComparison.Ordinal)) return v;
        return null;
    }

    private static bool TryParse(string hash, out Func<byte[], byte[]> digest, out byte[] expected, out byte[] salt)
    {
        digest = null!;
        expected = salt = [];
        if (Variant(hash) is not { } v) return false;
        if (!HashEncoding.TryDecodePadded(hash[v.Prefix.Length..], out var raw) || raw.Length < v.Size) return false;
        (digest, expected, salt) = (v.Digest, raw[..v.Size], raw[v.Size..]);
        return true;
    }
}
