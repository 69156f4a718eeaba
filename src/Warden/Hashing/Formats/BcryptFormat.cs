using Org.BouncyCastle.Crypto.Generators;

namespace Warden.Hashing.Formats;

/// <summary>
/// OpenBSD bcrypt, <c>$2a$12$&lt;22 salt chars&gt;&lt;31 hash chars&gt;</c> (also <c>$2b$</c>/<c>$2y$</c>, which
/// only differ from <c>$2a$</c> for inputs bcrypt never sees here). New hashes are written as <c>$2a$</c>
/// like Kratos does.
/// </summary>
internal sealed class BcryptFormat : IHashFormat
{
    public const int MaxPasswordBytes = 72;
    public const int MinCost = 4;
    public const int MaxCost = 31;

    private const string Alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly string[] Versions = ["2a", "2b", "2y"];

    public bool Claims(string hash) =>
        hash.Length > 4 && hash[0] == '$' && hash[1] == '2' && hash[3] == '$' && Versions.Contains(hash.Substring(1, 2));

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        // Never truncate: bcrypt ignores bytes after 72, so a longer password would match a different one.
        if (password.Length > MaxPasswordBytes) return false;
        if (!TryParse(hash, out var version, out var cost, out var salt, out var expected)) return false;
        var computed = Compute(version, password, salt, cost);
        return HashEncoding.FixedTimeEquals(computed[^31..], expected);
    }

    /// <summary>Returns the cost of a well-formed bcrypt hash, else null.</summary>
    public static int? CostOf(string hash) => TryParse(hash, out _, out var cost, out _, out _) ? cost : null;

    public static string Hash(byte[] password, int cost)
    {
        if (password.Length > MaxPasswordBytes) throw new PasswordTooLongException();
        return Compute("2a", password, HashEncoding.RandomBytes(16), cost);
    }

    private static string Compute(string version, byte[] password, byte[] salt, int cost)
    {
        // BouncyCastle takes chars and re-encodes them as UTF-8; decoding our UTF-8 bytes first round-trips
        // exactly because they came from a .NET string in the first place.
        var chars = HashEncoding.Utf8.GetChars(password);
        try
        {
            return OpenBsdBCrypt.Generate(version, chars, salt, cost);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    private static bool TryParse(string hash, out string version, out int cost, out byte[] salt, out string expected)
    {
        version = "";
        cost = 0;
        salt = [];
        expected = "";
        // $2a$ + 2 cost digits + $ + 22 salt + 31 hash = 60 characters.
        if (hash.Length != 60 || hash[6] != '$' || !new BcryptFormat().Claims(hash)) return false;
        if (!char.IsAsciiDigit(hash[4]) || !char.IsAsciiDigit(hash[5])) return false;
        cost = (hash[4] - '0') * 10 + (hash[5] - '0');
        if (cost is < MinCost or > MaxCost) return false;
        for (var i = 7; i < hash.Length; i++)
            if (Alphabet.IndexOf(hash[i]) < 0) return false;
        version = hash.Substring(1, 2);
        salt = DecodeSalt(hash.AsSpan(7, 22));
        expected = hash[29..];
        return true;
    }

    /// <summary>bcrypt's own base64 (different alphabet, no padding): 22 characters carry the 16-byte salt.</summary>
    private static byte[] DecodeSalt(ReadOnlySpan<char> text)
    {
        var result = new byte[16];
        int bits = 0, acc = 0, n = 0;
        foreach (var c in text)
        {
            acc = (acc << 6) | Alphabet.IndexOf(c);
            bits += 6;
            if (bits >= 8 && n < result.Length)
            {
                bits -= 8;
                result[n++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return result;
    }
}
