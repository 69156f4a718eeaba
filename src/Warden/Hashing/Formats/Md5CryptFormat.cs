using System.Security.Cryptography;
using System.Text;

namespace Warden.Hashing.Formats;

/// <summary>
/// Poul-Henning Kamp's MD5-based crypt(3) (<c>$1$</c> in /etc/shadow), stored by Kratos as
/// <c>$md5-crypt$&lt;salt&gt;$&lt;22 chars&gt;</c>. The algorithm still mixes in the original <c>$1$</c> magic.
/// </summary>
internal sealed class Md5CryptFormat : IHashFormat
{
    private const string Prefix = "$md5-crypt$";
    private static readonly byte[] Magic = "$1$"u8.ToArray();

    public bool Claims(string hash) => hash.StartsWith(Prefix, StringComparison.Ordinal);

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var salt, out var expected)) return false;
        return HashEncoding.FixedTimeEquals(Compute(password, Encoding.ASCII.GetBytes(salt)), expected);
    }

    private static bool TryParse(string hash, out string salt, out string expected)
    {
        salt = expected = "";
        if (!hash.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = hash[Prefix.Length..].Split('$');
        if (rest.Length != 2) return false;
        (salt, expected) = (rest[0], rest[1]);
        // crypt(3) never writes more than 8 salt characters, so a longer one is not a hash it produced.
        return salt.Length <= 8 && CryptBase64.IsSaltText(salt) && expected.Length == 22 && CryptBase64.IsEncoded(expected);
    }

    private static string Compute(byte[] pw, byte[] salt)
    {
        var alt = MD5.HashData([.. pw, .. salt, .. pw]);
        using var ctx = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        ctx.AppendData(pw);
        ctx.AppendData(Magic);
        ctx.AppendData(salt);
        for (var left = pw.Length; left > 0; left -= 16) ctx.AppendData(alt, 0, Math.Min(16, left));
        // One byte per bit of the password length: a NUL for set bits, the first password byte for clear ones.
        for (var bits = pw.Length; bits != 0; bits >>= 1)
        {
            if ((bits & 1) != 0) ctx.AppendData([0]);
            else ctx.AppendData(pw, 0, 1);
        }
        var final = ctx.GetHashAndReset();

        // 1000 rounds that deliberately slow the computation down.
        for (var i = 0; i < 1000; i++)
        {
            ctx.AppendData((i & 1) != 0 ? pw : final);
            if (i % 3 != 0) ctx.AppendData(salt);
            if (i % 7 != 0) ctx.AppendData(pw);
            ctx.AppendData((i & 1) != 0 ? final : pw);
            final = ctx.GetHashAndReset();
        }

        var sb = new StringBuilder(22);
        CryptBase64.Append(sb, final[0], final[6], final[12], 4);
        CryptBase64.Append(sb, final[1], final[7], final[13], 4);
        CryptBase64.Append(sb, final[2], final[8], final[14], 4);
        CryptBase64.Append(sb, final[3], final[9], final[15], 4);
        CryptBase64.Append(sb, final[4], final[10], final[5], 4);
        CryptBase64.Append(sb, 0, 0, final[11], 2);
        return sb.ToString();
    }
}

/// <summary>The crypt(3) radix-64 alphabet and its little-endian 24-bit group encoding.</summary>
internal static class CryptBase64
{
    public const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static void Append(StringBuilder sb, byte b2, byte b1, byte b0, int chars)
    {
        var w = (b2 << 16) | (b1 << 8) | b0;
        for (var i = 0; i < chars; i++, w >>= 6) sb.Append(Alphabet[w & 0x3f]);
    }

    public static bool IsEncoded(string text)
    {
        foreach (var c in text)
            if (Alphabet.IndexOf(c) < 0) return false;
        return true;
    }

    /// <summary>Salts are free text in crypt(3) apart from the '$' delimiter; we also refuse non-ASCII and controls.</summary>
    public static bool IsSaltText(string salt)
    {
        foreach (var c in salt)
            if (c is < '!' or > '~' or '$') return false;
        return true;
    }
}
