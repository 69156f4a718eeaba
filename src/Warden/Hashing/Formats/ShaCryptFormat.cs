using System.Security.Cryptography;
using System.Text;

namespace Warden.Hashing.Formats;

/// <summary>
/// Ulrich Drepper's SHA-256/SHA-512 crypt (<c>$5$</c>/<c>$6$</c> in /etc/shadow), stored by Kratos as
/// <c>$sha256-crypt$[rounds=N$]&lt;salt&gt;$&lt;hash&gt;</c> and <c>$sha512-crypt$…</c>.
/// </summary>
internal sealed class ShaCryptFormat(bool sha512) : IHashFormat
{
    private const int DefaultRounds = 5000;
    private const int MinRounds = 1000;
    private const int MaxRounds = 999_999_999;
    private const int MaxSalt = 16;

    private string Prefix => sha512 ? "$sha512-crypt$" : "$sha256-crypt$";
    private int EncodedLength => sha512 ? 86 : 43;

    // Byte order of the final output, three source bytes per four characters (from the specification).
    private static readonly int[] Order256 =
        [0, 10, 20, 21, 1, 11, 12, 22, 2, 3, 13, 23, 24, 4, 14, 15, 25, 5, 6, 16, 26, 27, 7, 17, 18, 28, 8, 9, 19, 29];

    private static readonly int[] Order512 =
    [
        0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7, 50, 8, 29, 9, 30, 51,
        31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57, 37, 58, 16, 59, 17, 38, 18, 39, 60,
        40, 61, 19, 62, 20, 41,
    ];

    public bool Claims(string hash) => hash.StartsWith(Prefix, StringComparison.Ordinal);

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var rounds, out var salt, out var expected)) return false;
        return HashEncoding.FixedTimeEquals(Compute(password, Encoding.ASCII.GetBytes(salt), rounds), expected);
    }

    private bool TryParse(string hash, out int rounds, out string salt, out string expected)
    {
        rounds = DefaultRounds;
        salt = expected = "";
        if (!Claims(hash)) return false;
        var rest = hash[Prefix.Length..].Split('$');
        if (rest.Length == 3)
        {
            const string key = "rounds=";
            var digits = rest[0].StartsWith(key, StringComparison.Ordinal) ? rest[0][key.Length..] : "";
            if (digits.Length is 0 or > 9 || digits.AsSpan().ContainsAnyExceptInRange('0', '9')) return false;
            // The specification clamps out-of-range counts rather than rejecting them.
            rounds = Math.Clamp(int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), MinRounds, MaxRounds);
            rest = rest[1..];
        }
        if (rest.Length != 2) return false;
        (salt, expected) = (rest[0], rest[1]);
        return salt.Length <= MaxSalt && CryptBase64.IsSaltText(salt) && expected.Length == EncodedLength && CryptBase64.IsEncoded(expected);
    }

    private byte[] Digest(ReadOnlySpan<byte> data) => sha512 ? SHA512.HashData(data) : SHA256.HashData(data);

    private string Compute(byte[] pw, byte[] salt, int rounds)
    {
        var size = sha512 ? 64 : 32;
        using var ctx = IncrementalHash.CreateHash(sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

        var b = Digest([.. pw, .. salt, .. pw]);
        ctx.AppendData(pw);
        ctx.AppendData(salt);
        for (var left = pw.Length; left > 0; left -= size) ctx.AppendData(b, 0, Math.Min(size, left));
        for (var bits = pw.Length; bits > 0; bits >>= 1) ctx.AppendData((bits & 1) != 0 ? b : pw);
        var a = ctx.GetHashAndReset();

        // P and S sequences: digests of repeated password/salt, stretched or cut to the input lengths.
        for (var i = 0; i < pw.Length; i++) ctx.AppendData(pw);
        var p = Stretch(ctx.GetHashAndReset(), pw.Length);
        for (var i = 0; i < 16 + a[0]; i++) ctx.AppendData(salt);
        var s = Stretch(ctx.GetHashAndReset(), salt.Length);

        for (var i = 0; i < rounds; i++)
        {
            ctx.AppendData((i & 1) != 0 ? p : a);
            if (i % 3 != 0) ctx.AppendData(s);
            if (i % 7 != 0) ctx.AppendData(p);
            ctx.AppendData((i & 1) != 0 ? a : p);
            a = ctx.GetHashAndReset();
        }

        var order = sha512 ? Order512 : Order256;
        var sb = new StringBuilder(EncodedLength);
        for (var i = 0; i < order.Length; i += 3) CryptBase64.Append(sb, a[order[i]], a[order[i + 1]], a[order[i + 2]], 4);
        if (sha512) CryptBase64.Append(sb, 0, 0, a[63], 2);
        else CryptBase64.Append(sb, 0, a[31], a[30], 3);
        return sb.ToString();
    }

    private static byte[] Stretch(byte[] digest, int length)
    {
        var result = new byte[length];
        for (var i = 0; i < length; i += digest.Length) digest.AsSpan(0, Math.Min(digest.Length, length - i)).CopyTo(result.AsSpan(i));
        return result;
    }
}
