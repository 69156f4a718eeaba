namespace Warden.Hashing.Formats;

/// <summary>
/// One stored-hash format. Implementations never throw for malformed input: a hash they cannot read is
/// simply not well-formed and never verifies. Passwords arrive as UTF-8 bytes.
/// </summary>
internal interface IHashFormat
{
    /// <summary>Cheap prefix test: does this format own the string (even if it turns out malformed)?</summary>
    bool Claims(string hash);

    /// <summary>Full structural check: all parts present, decodable and within the limits Warden accepts.</summary>
    bool IsWellFormed(string hash);

    /// <summary>Recomputes the hash and compares in constant time. False for malformed input.</summary>
    bool Verify(byte[] password, string hash);
}
