using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Warden.Sessions.Cache;

/// <summary>
/// A token's HMAC-SHA256 digest under the current key as four machine words: 32 bytes inline instead of a
/// 64-character hex string per cached session (and per request), and what the database stores is its hex form.
/// </summary>
internal readonly record struct TokenKey(ulong A, ulong B, ulong C, ulong D)
{
    public static TokenKey Of(byte[] hmacKey, string token)
    {
        Span<byte> utf8 = stackalloc byte[128];
        var n = Encoding.UTF8.GetBytes(token, utf8); // session tokens have a fixed short ASCII shape (checked before)
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(hmacKey, utf8[..n], digest);
        return From(digest);
    }

    /// <summary>The stored digest (lower-case hex, as <see cref="SessionTokens.Hash"/> writes it).</summary>
    public static TokenKey FromHex(string hex)
    {
        Span<byte> digest = stackalloc byte[32];
        return Convert.FromHexString(hex, digest, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32
            ? From(digest) : default;
    }

    private static TokenKey From(ReadOnlySpan<byte> d) => new(
        BinaryPrimitives.ReadUInt64BigEndian(d), BinaryPrimitives.ReadUInt64BigEndian(d[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(d[16..]), BinaryPrimitives.ReadUInt64BigEndian(d[24..]));

    public string ToHex()
    {
        Span<byte> d = stackalloc byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(d, A);
        BinaryPrimitives.WriteUInt64BigEndian(d[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(d[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(d[24..], D);
        return Convert.ToHexStringLower(d);
    }
}
