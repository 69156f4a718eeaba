using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Warden.Hashing.Formats;

/// <summary>
/// Keyed digests, <c>$hmac-&lt;digest&gt;$&lt;base64 of the hex MAC&gt;$&lt;base64 key&gt;</c>: the MAC of the password
/// under the stored key. Kratos compat: the middle part is base64 of the lower-case hex string, not of the MAC bytes.
/// BouncyCastle serves all digests here because the platform has no MD4.
/// </summary>
internal sealed class HmacFormat : IHashFormat
{
    private static readonly Dictionary<string, Func<IDigest>> Digests = new()
    {
        ["md4"] = () => new MD4Digest(),
        ["md5"] = () => new MD5Digest(),
        ["sha1"] = () => new Sha1Digest(),
        ["sha224"] = () => new Sha224Digest(),
        ["sha256"] = () => new Sha256Digest(),
        ["sha384"] = () => new Sha384Digest(),
        ["sha512"] = () => new Sha512Digest(),
    };

    public bool Claims(string hash) => hash.StartsWith("$hmac-", StringComparison.Ordinal);

    public bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _);

    public bool Verify(byte[] password, string hash)
    {
        if (!TryParse(hash, out var digest, out var expected, out var key)) return false;
        var mac = new HMac(digest());
        mac.Init(new KeyParameter(key));
        mac.BlockUpdate(password, 0, password.Length);
        var result = new byte[mac.GetMacSize()];
        mac.DoFinal(result, 0);
        return HashEncoding.FixedTimeEquals(result, expected);
    }

    private static bool TryParse(string hash, out Func<IDigest> digest, out byte[] expected, out byte[] key)
    {
        digest = null!;
        expected = key = [];
        var parts = hash.Split('$');
        if (parts.Length != 4 || parts[0].Length != 0 || !parts[1].StartsWith("hmac-", StringComparison.Ordinal)) return false;
        if (!Digests.TryGetValue(parts[1]["hmac-".Length..], out digest!)) return false;
        if (!HashEncoding.TryDecodePadded(parts[2], out var hex) || !HashEncoding.TryDecodePadded(parts[3], out key)) return false;
        try
        {
            expected = Convert.FromHexString(System.Text.Encoding.ASCII.GetString(hex));
        }
        catch (FormatException)
        {
            return false;
        }
        return expected.Length == digest().GetDigestSize();
    }
}
