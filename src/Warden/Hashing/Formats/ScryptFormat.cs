using Org.BouncyCastle.Crypto.Generators;

namespace Warden.Hashing.Formats;

/// <summary>
/// scrypt, <c>$scrypt$ln=16384,r=8,p=1$&lt;salt&gt;$&lt;key&gt;</c> with padded base64.
/// Kratos compat: despite its name the <c>ln</c> field holds the cost N itself, not its logarithm.
/// </summary>
internal sealed class ScryptFormat(ulong maxMemoryBytes) : IHashFormat
{
    private const int MaxKeyLength = 1024;

    public bool Claims(string hash) => hash.StartsWith("$scrypt$", StringComparison.Ordinal);

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var n, out var r, out var p, out var salt, out var expected)) return false;
        return HashEncoding.FixedTimeEquals(SCrypt.Generate(password, salt, n, r, p, expected.Length), expected);
    }

    private bool TryParse(string hash, out int n, out int r, out int p, out byte[] salt, out byte[] expected)
    {
        n = r = p = 0;
        salt = expected = [];
        var parts = hash.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0 || parts[1] != "scrypt") return false;
        Span<long> v = stackalloc long[3];
        if (!HashEncoding.TryParseParams(parts[2], ["ln", "r", "p"], v)) return false;
        if (!ScryptLimits.Acceptable(v[0], v[1], v[2], maxMemoryBytes)) return false;
        if (!HashEncoding.TryDecodePadded(parts[3], out salt)) return false;
        if (!HashEncoding.TryDecodePadded(parts[4], out expected) || expected.Length is 0 or > MaxKeyLength) return false;
        (n, r, p) = ((int)v[0], (int)v[1], (int)v[2]);
        return true;
    }
}

internal static class ScryptLimits
{
    /// <summary>
    /// N a power of two above 1 (scrypt's own rule), r*p below 2^30 (RFC 7914), and the 128*r*N bytes of
    /// working memory within Warden's cap so an imported hash cannot make one login allocate gigabytes.
    /// </summary>
    public static bool Acceptable(long n, long r, long p, ulong maxMemoryBytes)
    {
        if (n < 2 || n > int.MaxValue || (n & (n - 1)) != 0) return false;
        if (r < 1 || p < 1 || r > int.MaxValue || p > int.MaxValue || r * p >= 1 << 30) return false;
        // Divided rather than multiplied: 128*r*N can overflow 64 bits for hostile values.
        return (ulong)n <= maxMemoryBytes / (ulong)(128 * r);
    }
}
