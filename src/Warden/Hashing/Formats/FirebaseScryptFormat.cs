using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;

namespace Warden.Hashing.Formats;

/// <summary>
/// Firebase Authentication's scrypt variant:
/// <c>$firescrypt$ln=14,r=8,p=1$&lt;salt&gt;$&lt;hash&gt;$&lt;salt separator&gt;$&lt;signer key&gt;</c>, padded base64.
/// Here <c>ln</c> is log2(N). The stored hash is the project's signer key encrypted with AES-256-CTR (zero
/// IV) under the first 32 bytes of scrypt(password, salt ‖ separator).
/// </summary>
internal sealed class FirebaseScryptFormat(ulong maxMemoryBytes) : IHashFormat
{
    private const int DerivedLength = 64;
    private const int MaxSignerKey = 1024;

    public bool Claims(string hash) => hash.StartsWith("$firescrypt$", StringComparison.Ordinal);

    public bool IsWellFormed(string hash) => TryParse(hash, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var h)) return false;
        var derived = SCrypt.Generate(password, [.. h.Salt, .. h.Separator], h.N, h.R, h.P, DerivedLength);
        return HashEncoding.FixedTimeEquals(AesCtr(derived.AsSpan(0, 32), h.SignerKey), h.Expected);
    }

    /// <summary>CTR mode from ECB: the platform has no CTR cipher, and a keystream of counter blocks is all CTR is.</summary>
    private static byte[] AesCtr(ReadOnlySpan<byte> key, byte[] data)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var blocks = (data.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        for (var i = 0; i < blocks; i++)
        {
            // Big-endian 128-bit counter starting at zero; data sizes here never reach the upper bytes.
            var c = (ulong)i;
            for (var b = 15; b >= 8; b--, c >>= 8) counters[i * 16 + b] = (byte)c;
        }
        var stream = aes.EncryptEcb(counters, PaddingMode.None);
        var output = new byte[data.Length];
        for (var i = 0; i < data.Length; i++) output[i] = (byte)(data[i] ^ stream[i]);
        return output;
    }

    private sealed record Parsed(int N, int R, int P, byte[] Salt, byte[] Expected, byte[] Separator, byte[] SignerKey);

    private bool TryParse(string hash, out Parsed parsed)
    {
        parsed = null!;
        var parts = hash.Split('$');
        if (parts.Length != 7 || parts[0].Length != 0 || parts[1] != "firescrypt") return false;
        Span<long> v = stackalloc long[3];
        if (!HashEncoding.TryParseParams(parts[2], ["ln", "r", "p"], v) || v[0] is < 1 or > 30) return false;
        var n = 1L << (int)v[0];
        if (!ScryptLimits.Acceptable(n, v[1], v[2], maxMemoryBytes)) return false;
        if (!HashEncoding.TryDecodePadded(parts[3], out var salt)) return false;
        if (!HashEncoding.TryDecodePadded(parts[4], out var expected)) return false;
        if (!HashEncoding.TryDecodePadded(parts[5], out var separator)) return false;
        if (!HashEncoding.TryDecodePadded(parts[6], out var signer) || signer.Length is 0 or > MaxSignerKey) return false;
        if (expected.Length != signer.Length) return false;
        parsed = new Parsed((int)n, (int)v[1], (int)v[2], salt, expected, separator, signer);
        return true;
    }
}
