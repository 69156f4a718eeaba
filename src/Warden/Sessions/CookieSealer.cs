using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Warden.Sessions;

/// <summary>
/// Seals the session token into the cookie value with AES-256-GCM: the token is hidden from anything that
/// sees cookies but not the key (logs, proxies), and any change to the value fails authentication. The cookie
/// name is bound as associated data so a value cannot be replayed under another cookie. Layout:
/// base64url(version 0x01 | nonce 12 | ciphertext | tag 16).
/// </summary>
internal static class CookieSealer
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    /// <summary>Far above a sealed token (~90 chars); longer values are refused before any decoding.</summary>
    private const int MaxEncodedLength = 512;

    public static string Seal(byte[] key, string cookieName, string token)
    {
        var plain = Encoding.UTF8.GetBytes(token);
        var output = new byte[1 + NonceSize + plain.Length + TagSize];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize, plain.Length), output.AsSpan(1 + NonceSize + plain.Length, TagSize),
            Encoding.UTF8.GetBytes(cookieName));
        return Base64Url.EncodeToString(output);
    }

    /// <summary>The token inside <paramref name="value"/>, trying every accepted key; null when it does not open.</summary>
    public static string? Open(IReadOnlyList<byte[]> keys, string cookieName, string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxEncodedLength) return null;
        byte[] data;
        try
        {
            data = Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return null;
        }
        if (data.Length <= 1 + NonceSize + TagSize || data[0] != Version) return null;
        var nonce = data.AsSpan(1, NonceSize);
        var cipher = data.AsSpan(1 + NonceSize, data.Length - 1 - NonceSize - TagSize);
        var tag = data.AsSpan(data.Length - TagSize);
        var aad = Encoding.UTF8.GetBytes(cookieName);
        var plain = new byte[cipher.Length];
        foreach (var key in keys)
        {
            using var aes = new AesGcm(key, TagSize);
            try
            {
                aes.Decrypt(nonce, cipher, tag, plain, aad);
                return Encoding.UTF8.GetString(plain);
            }
            catch (AuthenticationTagMismatchException)
            {
                // Sealed under another key (or tampered): try the next accepted key.
            }
        }
        return null;
    }
}
