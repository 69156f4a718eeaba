namespace Warden.Hashing;

/// <summary>
/// CONTRACT (filled in by the hashing work): hashes new passwords with the configured algorithm
/// (<c>hashers.algorithm</c>) and verifies every importable format. Hash work runs with bounded concurrency.
/// </summary>
public sealed class PasswordHasher
{
    /// <summary>Hashes with the configured algorithm. Throws <see cref="PasswordTooLongException"/> for bcrypt over 72 bytes.</summary>
    public Task<string> HashAsync(string password, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Verifies against any supported format (PHC strings, bcrypt, SSHA, …). Unknown or malformed formats are false.</summary>
    public Task<bool> VerifyAsync(string password, string hash, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>True when <paramref name="hash"/> is not in the configured algorithm/parameters (re-hash after a successful login).</summary>
    public bool NeedsRehash(string hash) => throw new NotImplementedException();

    /// <summary>True when the format is one Warden can verify (for <c>hashed_password</c> import validation).</summary>
    public bool IsSupported(string hash) => throw new NotImplementedException();

    /// <summary>Spends the same time as a real verification, for unknown identifiers (no user enumeration by timing).</summary>
    public Task DummyVerifyAsync(string password, CancellationToken ct = default) => throw new NotImplementedException();
}

public sealed class PasswordTooLongException() : Exception("The password is longer than the hashing algorithm accepts (72 bytes for bcrypt).");
