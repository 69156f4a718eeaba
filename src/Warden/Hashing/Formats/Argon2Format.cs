namespace Warden.Hashing.Formats;

/// <summary>Argon2 parameters as they appear in a PHC string (memory in KiB).</summary>
internal sealed record Argon2Params(Argon2Native.Variant Variant, uint MemoryKiB, uint Iterations, uint Parallelism, int SaltLength, int KeyLength);

/// <summary>
/// Argon2i / Argon2id in PHC form, <c>$argon2id$v=19$m=65536,t=3,p=4$&lt;salt&gt;$&lt;hash&gt;</c> with unpadded
/// base64. Only version 19 exists in the wild (Kratos cannot produce or read anything else).
/// </summary>
internal sealed class Argon2Format(ulong maxMemoryKiB) : IHashFormat
{
    // Limits of the reference implementation: shorter salts/keys or m below 8*p are refused by libargon2.
    private const int MinSalt = 8;
    private const int MinKey = 4;

    public bool Claims(string hash) =>
        hash.StartsWith("$argon2id$", StringComparison.Ordinal) || hash.StartsWith("$argon2i$", StringComparison.Ordinal);

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var p, out var salt, out var expected)) return false;
        var computed = Argon2Native.Hash(p.Variant, password, salt, p.Iterations, p.MemoryKiB, p.Parallelism, expected.Length);
        return computed is not null && HashEncoding.FixedTimeEquals(computed, expected);
    }

    public Argon2Params? ParamsOf(string hash) => TryParse(hash, out var p, out _, out _) ? p : null;

    public static string Hash(byte[] password, Argon2Params p)
    {
        var salt = HashEncoding.RandomBytes(p.SaltLength);
        var key = Argon2Native.Hash(Argon2Native.Variant.Id, password, salt, p.Iterations, p.MemoryKiB, p.Parallelism, p.KeyLength)
                  ?? throw new InvalidOperationException("libargon2 refused to hash (library missing or parameters rejected)");
        return Encode(p, salt, key);
    }

    /// <summary>The PHC string of an argon2id hash (Warden only writes argon2id).</summary>
    public static string Encode(Argon2Params p, byte[] salt, byte[] key) =>
        $"$argon2id$v=19$m={p.MemoryKiB},t={p.Iterations},p={p.Parallelism}${HashEncoding.EncodeRaw(salt)}${HashEncoding.EncodeRaw(key)}";

    private bool TryParse(string hash, out Argon2Params p, out byte[] salt, out byte[] expected)
    {
        p = null!;
        salt = expected = [];
        var parts = hash.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[2] != "v=19") return false;
        var variant = parts[1] switch { "argon2id" => Argon2Native.Variant.Id, "argon2i" => Argon2Native.Variant.I, _ => (Argon2Native.Variant?)null };
        if (variant is null) return false;
        Span<long> v = stackalloc long[3];
        if (!HashEncoding.TryParseParams(parts[3], ["m", "t", "p"], v)) return false;
        long m = v[0], t = v[1], par = v[2];
        // p fits Kratos' uint8; m is bounded so an imported hash cannot make one login allocate gigabytes.
        if (par is < 1 or > 255 || t is < 1 or > uint.MaxValue || m < 8 * par || (ulong)m > maxMemoryKiB || m > uint.MaxValue) return false;
        if (!HashEncoding.TryDecodeRaw(parts[4], out salt) || salt.Length < MinSalt) return false;
        if (!HashEncoding.TryDecodeRaw(parts[5], out expected) || expected.Length < MinKey) return false;
        p = new Argon2Params(variant.Value, (uint)m, (uint)t, (uint)par, salt.Length, expected.Length);
        return true;
    }
}
