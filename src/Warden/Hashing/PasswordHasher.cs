using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Config;
using Warden.Hashing.Formats;

namespace Warden.Hashing;

/// <summary>
/// CONTRACT (filled in by the hashing work): hashes new passwords with the configured algorithm
/// (<c>hashers.algorithm</c>) and verifies every importable format. Hash work runs with bounded concurrency.
/// </summary>
public sealed class PasswordHasher
{
    private readonly HashingOptions _options;
    private readonly ILogger _logger;
    private readonly HashLimiter _limiter;
    private readonly Argon2Format _argon2;
    private readonly IHashFormat[] _formats;
    private readonly Lazy<string> _dummyHash;
    private readonly bool _argon2Available;

    /// <summary>Kratos' defaults: bcrypt with cost 12.</summary>
    public PasswordHasher() : this(new HashingOptions()) { }

    public PasswordHasher(WardenConfig config, ILogger<PasswordHasher>? logger = null) : this(HashingOptions.From(config), logger) { }

    public PasswordHasher(HashingOptions options, ILogger? logger = null) : this(options, logger, Argon2Native.Available) { }

    internal PasswordHasher(HashingOptions options, ILogger? logger, HashBatching batching) : this(options, logger, Argon2Native.Available, batching) { }

    /// <summary><paramref name="argon2Available"/> lets tests act out a machine without libargon2.</summary>
    internal PasswordHasher(HashingOptions options, ILogger? logger, bool argon2Available, HashBatching? batching = null)
    {
        EnsureUsable(options, argon2Available);
        _argon2Available = argon2Available;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _limiter = new HashLimiter(options.MaxConcurrency, options.MaxQueue, options.Slices(), batching);
        _argon2 = new Argon2Format(options.MaxHashMemoryBytes / 1024);
        _formats =
        [
            new BcryptFormat(), _argon2, new Pbkdf2Format(), new ScryptFormat(options.MaxHashMemoryBytes),
            new FirebaseScryptFormat(options.MaxHashMemoryBytes), new SaltedShaFormat(), new DigestPatternFormat(),
            new Md5CryptFormat(), new ShaCryptFormat(sha512: false), new ShaCryptFormat(sha512: true), new HmacFormat(),
        ];
        _dummyHash = new Lazy<string>(() => DummyHash(options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public HashingOptions Options => _options;

    internal HashLimiter Limiter => _limiter;

    /// <summary>Fails startup when the configured algorithm cannot run here (argon2 without libargon2).</summary>
    public static void EnsureUsable(HashingOptions options) => EnsureUsable(options, Argon2Native.Available);

    internal static void EnsureUsable(HashingOptions options, bool argon2Available)
    {
        if (options.Algorithm == HashAlgorithm.Argon2 && !argon2Available)
            throw new ConfigException("hashers.algorithm",
                "argon2 needs the native libargon2 library, which was not found (Debian/Ubuntu: apt-get install libargon2-1)");
    }

    /// <summary>Hashes with the configured algorithm. Throws <see cref="PasswordTooLongException"/> for bcrypt over 72 bytes.</summary>
    public async Task<string> HashAsync(string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        var bytes = HashEncoding.Utf8.GetBytes(password);
        try
        {
            // Checked before queueing so the caller gets the real reason, not a 503, under load.
            if (_options.Algorithm == HashAlgorithm.Bcrypt && bytes.Length > BcryptFormat.MaxPasswordBytes)
                throw new PasswordTooLongException();
            return await _limiter.RunAsync(() => HashNow(bytes), ct);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Verifies against any supported format (PHC strings, bcrypt, SSHA, …). Unknown or malformed formats are false.</summary>
    public async Task<bool> VerifyAsync(string password, string hash, CancellationToken ct = default)
    {
        if (password is null || string.IsNullOrEmpty(hash) || Find(hash) is not { } format) return false;
        if (format is Argon2Format && !_argon2Available)
        {
            _logger.LogError("An argon2 password hash cannot be verified because the native libargon2 library is not installed " +
                             "(Debian/Ubuntu: apt-get install libargon2-1); the password check fails");
            return false;
        }
        var bytes = HashEncoding.Utf8.GetBytes(password);
        try
        {
            return await _limiter.RunAsync(() => VerifyNow(format, bytes, hash), ct);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>True when <paramref name="hash"/> is not in the configured algorithm/parameters (re-hash after a successful login).</summary>
    public bool NeedsRehash(string hash)
    {
        if (string.IsNullOrEmpty(hash)) return true;
        return _options.Algorithm switch
        {
            HashAlgorithm.Bcrypt => BcryptFormat.CostOf(hash) != _options.BcryptCost,
            HashAlgorithm.Argon2 => _argon2.ParamsOf(hash) != _options.Argon2,
            _ => Pbkdf2Format.ParamsOf(hash) != _options.Pbkdf2,
        };
    }

    /// <summary>True when the format is one Warden can verify (for <c>hashed_password</c> import validation).</summary>
    public bool IsSupported(string hash) => !string.IsNullOrEmpty(hash) && Find(hash) is { } format && format.IsWellFormed(hash);

    /// <summary>Spends the same time as a real verification, for unknown identifiers (no user enumeration by timing).</summary>
    public Task DummyVerifyAsync(string password, CancellationToken ct = default) => VerifyAsync(password ?? "", _dummyHash.Value, ct);

    internal string DummyHashValue => _dummyHash.Value;

    /// <summary>
    /// A hash in the configured algorithm and parameters whose salt and digest are random bytes: verifying against
    /// it costs exactly what a real verification costs and never succeeds, and making it runs no KDF at full cost
    /// (computing a real one at startup cost ~200 ms of CPU and ~6 MB of RSS on every start).
    /// </summary>
    private static string DummyHash(HashingOptions o) => o.Algorithm switch
    {
        // A real bcrypt string at the cheapest cost, re-labelled with the configured cost: well-formed by construction.
        HashAlgorithm.Bcrypt => $"$2a${o.BcryptCost:D2}" + BcryptFormat.Hash(RandomNumberGenerator.GetBytes(18), BcryptFormat.MinCost)[6..],
        HashAlgorithm.Argon2 => Argon2Format.Encode(o.Argon2, RandomNumberGenerator.GetBytes(o.Argon2.SaltLength),
            RandomNumberGenerator.GetBytes(o.Argon2.KeyLength)),
        _ => Pbkdf2Format.Encode(o.Pbkdf2, RandomNumberGenerator.GetBytes(o.Pbkdf2.SaltLength), RandomNumberGenerator.GetBytes(o.Pbkdf2.KeyLength)),
    };

    private IHashFormat? Find(string hash)
    {
        foreach (var format in _formats)
            if (format.Claims(hash)) return format;
        return null;
    }

    private string HashNow(byte[] password) => _options.Algorithm switch
    {
        HashAlgorithm.Bcrypt => BcryptFormat.Hash(password, _options.BcryptCost),
        HashAlgorithm.Argon2 => Argon2Format.Hash(password, _options.Argon2),
        _ => Pbkdf2Format.Hash(password, _options.Pbkdf2),
    };

    private bool VerifyNow(IHashFormat format, byte[] password, string hash)
    {
        try
        {
            return format.Verify(password, hash);
        }
        catch (Exception e)
        {
            // Only the types: the hash and the password stay out of the log.
            _logger.LogWarning("Verifying a {Format} password hash failed with {Error}; treating it as a mismatch",
                format.GetType().Name, e.GetType().Name);
            return false;
        }
    }
}

public sealed class PasswordTooLongException() : Exception("The password is longer than the hashing algorithm accepts (72 bytes for bcrypt).");
