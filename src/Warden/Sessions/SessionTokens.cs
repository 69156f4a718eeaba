using System.Security.Cryptography;
using System.Text;

namespace Warden.Sessions;

/// <summary>
/// Session and logout tokens. Tokens are 32 alphanumerics (~190 bits) from the CSPRNG behind a Kratos-style
/// prefix; the database only ever sees HMAC-SHA256 digests of them, so a leaked table yields no usable token
/// and a database writer cannot plant a token without the key.
/// </summary>
internal static class SessionTokens
{
    public const string SessionPrefix = "ory_st_";
    public const string LogoutPrefix = "ory_lo_";
    private const int RandomLength = 32;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string NewSessionToken() => SessionPrefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    /// <summary>True when <paramref name="token"/> has the shape Warden issues; anything else is refused without a database query.</summary>
    public static bool LooksLikeSessionToken(string? token) => HasShape(token, SessionPrefix);

    public static bool LooksLikeLogoutToken(string? token) => HasShape(token, LogoutPrefix);

    private static bool HasShape(string? token, string prefix) =>
        token is not null && token.Length == prefix.Length + RandomLength && token.StartsWith(prefix, StringComparison.Ordinal) &&
        token.AsSpan(prefix.Length).IndexOfAnyExcept(Alphabet) < 0;

    /// <summary>The stored form of a token under one key (lower-case hex, 64 chars).</summary>
    public static string Hash(byte[] key, string token) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(token)));

    /// <summary>Hashes under every accepted key, current first: lookups match sessions issued before a rotation.</summary>
    public static string[] Hashes(IReadOnlyList<byte[]> keys, string token) => keys.Select(k => Hash(k, token)).ToArray();

    /// <summary>
    /// The logout token of a session is derived from its id with a keyed PRF instead of being stored: only its
    /// digest is kept, yet createBrowserLogoutFlow can hand out the same token on every call (several tabs share
    /// one logout URL) without a write.
    /// </summary>
    public static string LogoutToken(byte[] key, Guid sessionId)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("logout:" + sessionId.ToString("D")));
        var chars = new char[RandomLength];
        // 32 bytes of MAC mapped onto 62 symbols: the slight bias is irrelevant for a 256-bit PRF output.
        for (var i = 0; i < RandomLength; i++) chars[i] = Alphabet[mac[i] % Alphabet.Length];
        return LogoutPrefix + new string(chars);
    }

    /// <summary>True when <paramref name="presented"/> is the logout token of this session under any accepted key.</summary>
    public static bool IsLogoutTokenOf(IReadOnlyList<byte[]> keys, Guid sessionId, string? presented)
    {
        if (!LooksLikeLogoutToken(presented)) return false;
        var given = Encoding.ASCII.GetBytes(presented!);
        var ok = false;
        foreach (var key in keys)
            ok |= CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(LogoutToken(key, sessionId)));
        return ok;
    }
}
