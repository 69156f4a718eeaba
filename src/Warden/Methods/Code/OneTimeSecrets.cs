using System.Security.Cryptography;
using System.Text;
using Warden.Sessions;

namespace Warden.Methods.Code;

/// <summary>
/// Generates one-time codes and link tokens and computes the keyed hashes that are the only thing stored.
/// The key is derived (HKDF, own label) from the session token-hash keys, so it follows
/// <c>secrets.default</c> and its rotation: new values use the first secret, all listed secrets are accepted.
/// Secrets are hashed together with their flow id, so the same six digits in two flows are distinct rows and
/// a code or link never works outside the flow it was sent for.
/// </summary>
public sealed class OneTimeSecrets(SessionKeys keys)
{
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Six decimal digits, uniformly from a CSPRNG.</summary>
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");

    /// <summary>32 alphanumeric characters (about 190 bits) for links.</summary>
    public static string NewToken() => RandomNumberGenerator.GetString(TokenAlphabet, 32);

    /// <summary>Hashes under every accepted key; index 0 (current key) is what to store.</summary>
    public async Task<IReadOnlyList<string>> HashesAsync(string kind, Guid flowId, string secret, CancellationToken ct = default)
    {
        var ring = await keys.GetAsync(ct);
        var input = Encoding.UTF8.GetBytes($"{kind}\n{flowId:D}\n{secret}");
        return ring.TokenHash.Select(k => Convert.ToHexStringLower(HMACSHA256.HashData(Derive(k), input))).ToList();
    }

    private static byte[] Derive(byte[] key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, salt: null, info: "warden/one-time-code/v1"u8.ToArray());

    /// <summary>Whether a submitted value looks like a code at all (so garbage never reaches the database).</summary>
    public static bool LooksLikeCode(string? value) => value is { Length: >= 4 and <= 64 } && value.All(char.IsAsciiLetterOrDigit);

    public static bool LooksLikeToken(string? value) => value is { Length: >= 16 and <= 128 } && value.All(char.IsAsciiLetterOrDigit);
}
