using System.Text.Json;
using System.Text.RegularExpressions;
using Warden.Config;
using Warden.Hashing.Formats;

namespace Warden.Hashing;

public enum HashAlgorithm { Bcrypt, Argon2, Pbkdf2 }

/// <summary>
/// Validated hashing settings. Built from <c>hashers.*</c> (Kratos' keys, plus Warden's <c>hashers.pbkdf2</c>
/// and <c>algorithm: pbkdf2</c>) and <c>warden.hashing.*</c> (Warden-only limits:
/// <c>max_concurrency</c>, hash computations running at once, default one per CPU; <c>max_queue</c>, callers
/// allowed to wait for a slot before getting 503, default 16 per slot; <c>time_slice</c>, see <see cref="HashSlices"/>).
/// </summary>
public sealed partial record HashingOptions
{
    public HashAlgorithm Algorithm { get; init; } = HashAlgorithm.Bcrypt;
    public int BcryptCost { get; init; } = 12;
    internal Argon2Params Argon2 { get; init; } = DefaultArgon2();
    internal Pbkdf2Params Pbkdf2 { get; init; } = new("sha512", 210_000, 16, 32);
    /// <summary>Imported argon2/scrypt hashes needing more working memory than this do not verify.</summary>
    public ulong MaxHashMemoryBytes { get; init; } = 1UL << 30;
    public int MaxConcurrency { get; init; } = Environment.ProcessorCount;
    public int MaxQueue { get; init; } = 16 * Environment.ProcessorCount;
    /// <summary>
    /// <c>warden.hashing.time_slice</c>: null for <c>off</c> (the default), <see cref="TimeSpan.Zero"/> for
    /// <c>auto</c> (long slices for argon2 only, sized from the hashes), otherwise the slice to ask for (see
    /// <see cref="HashSlices"/>; off by default because of what it costs other requests during a login storm).
    /// </summary>
    public TimeSpan? TimeSlice { get; init; }

    /// <summary>
    /// <c>warden.hashing.batch</c>: <c>off</c> (the default), <c>on</c>, or <c>auto</c> (on for argon2 beside a
    /// database on this machine); see <see cref="HashBatching"/>.
    /// </summary>
    public string Batch { get; init; } = "off";

    /// <summary>Whether hashes run in batches with these options and this DSN.</summary>
    internal bool Batches(string dsn) => Batch switch
    {
        "on" => true,
        "auto" => Algorithm == HashAlgorithm.Argon2 && HashBatching.DatabaseIsLocal(dsn),
        _ => false,
    };

    /// <summary>The time slice policy these options ask for.</summary>
    internal HashSlices Slices() => TimeSlice switch
    {
        null => HashSlices.Off,
        { } d when d == TimeSpan.Zero => Algorithm == HashAlgorithm.Argon2 ? HashSlices.Auto() : HashSlices.Off,
        { } d => HashSlices.Fixed(d),
    };

    public const int SecureBcryptCost = 12;

    // Kratos defaults (config.schema.json): 128MB, 1 iteration, 2*CPUs lanes, 16-byte salt, 32-byte key.
    private static Argon2Params DefaultArgon2() =>
        new(Argon2Native.Variant.Id, 128 * 1024, 1, (uint)Math.Clamp(2 * Environment.ProcessorCount, 1, 255), 16, 32);

    public static HashingOptions From(WardenConfig config)
    {
        var s = config.Section<HashersSection>("hashers");
        var limits = config.Section<LimitsSection>("warden.hashing");
        var options = new HashingOptions();

        var algorithm = s.Algorithm switch
        {
            null or "" or "bcrypt" => HashAlgorithm.Bcrypt,
            "argon2" => HashAlgorithm.Argon2,
            "pbkdf2" => HashAlgorithm.Pbkdf2,
            var other => throw new ConfigException("hashers.algorithm", $"'{other}' is not one of bcrypt, argon2, pbkdf2"),
        };

        var cost = s.Bcrypt?.Cost ?? SecureBcryptCost;
        if (cost is < BcryptFormat.MinCost or > BcryptFormat.MaxCost)
            throw new ConfigException("hashers.bcrypt.cost", $"{cost} is outside {BcryptFormat.MinCost}..{BcryptFormat.MaxCost}");
        if (cost < SecureBcryptCost && !config.Dev)
            throw new ConfigException("hashers.bcrypt.cost", $"{cost} is below {SecureBcryptCost}; lower costs are only allowed with --dev");

        var a = s.Argon2 ?? new Argon2Section();
        var d = options.Argon2;
        var parallelism = Range(a.Parallelism ?? (int)d.Parallelism, 1, 255, "hashers.argon2.parallelism");
        var memoryKiB = a.Memory is null ? d.MemoryKiB : ParseByteSize(a.Memory.Value, "hashers.argon2.memory") / 1024;
        if (memoryKiB > uint.MaxValue)
            throw new ConfigException("hashers.argon2.memory", "must be at most 4TB");
        // Kratos compat: Argon2 needs at least 8 KiB per lane; Go's implementation raises smaller values
        // silently, so configs such as Kratos' own test profiles (memory: 1KB) start. Do the same.
        memoryKiB = Math.Max(memoryKiB, 8UL * (ulong)parallelism);
        var argon2 = d with
        {
            MemoryKiB = (uint)memoryKiB,
            Iterations = (uint)Range(a.Iterations ?? (int)d.Iterations, 1, int.MaxValue, "hashers.argon2.iterations"),
            Parallelism = (uint)parallelism,
            SaltLength = Range(a.SaltLength ?? d.SaltLength, 16, 1024, "hashers.argon2.salt_length"),
            KeyLength = Range(a.KeyLength ?? d.KeyLength, 16, 1024, "hashers.argon2.key_length"),
        };
        var dedicated = a.DedicatedMemory is null ? options.MaxHashMemoryBytes : ParseByteSize(a.DedicatedMemory.Value, "hashers.argon2.dedicated_memory");

        var p = s.Pbkdf2 ?? new Pbkdf2Section();
        var pd = options.Pbkdf2;
        var digest = p.Algorithm ?? pd.Digest;
        if (!Pbkdf2Format.Digests.Contains(digest))
            throw new ConfigException("hashers.pbkdf2.algorithm", $"'{digest}' is not one of {string.Join(", ", Pbkdf2Format.Digests)}");
        var pbkdf2 = new Pbkdf2Params(digest,
            Range(p.Iterations ?? pd.Iterations, config.Dev ? 1 : 10_000, int.MaxValue, "hashers.pbkdf2.iterations"),
            Range(p.SaltLength ?? pd.SaltLength, 16, 1024, "hashers.pbkdf2.salt_length"),
            Range(p.KeyLength ?? pd.KeyLength, 16, 1024, "hashers.pbkdf2.key_length"));

        var concurrency = Range(limits.MaxConcurrency ?? options.MaxConcurrency, 1, 4096, "warden.hashing.max_concurrency");
        return new HashingOptions
        {
            Algorithm = algorithm,
            BcryptCost = cost,
            Argon2 = argon2,
            Pbkdf2 = pbkdf2,
            // Never below what our own configured argon2 needs, or Warden could not verify its own hashes.
            MaxHashMemoryBytes = Math.Max(dedicated, argon2.MemoryKiB * 1024UL),
            MaxConcurrency = concurrency,
            MaxQueue = Range(limits.MaxQueue ?? 16 * concurrency, 0, 1_000_000, "warden.hashing.max_queue"),
            TimeSlice = ParseSlice(limits.TimeSlice),
            Batch = limits.Batch is null or "off" or "on" or "auto"
                ? limits.Batch ?? "off"
                : throw new ConfigException("warden.hashing.batch", $"expected off, on or auto, got \"{limits.Batch}\""),
        };
    }

    private static TimeSpan? ParseSlice(string? text)
    {
        const string key = "warden.hashing.time_slice";
        if (text is null or "off") return null;
        if (text == "auto") return TimeSpan.Zero;
        if (!GoDuration.TryParse(text, out var d) || d <= TimeSpan.Zero)
            throw new ConfigException(key, $"expected off, auto or a duration such as 20ms, got \"{text}\"");
        if (d < HashSlices.Shortest || d > HashSlices.Longest)
            throw new ConfigException(key, $"{text} is outside 4ms..100ms (what the kernel accepts)");
        return d;
    }

    private static int Range(int value, int min, int max, string key) =>
        value >= min && value <= max ? value : throw new ConfigException(key, $"{value} is outside {min}..{max}");

    // Generated, not constructed: a Regex built at run time parses its pattern and sets up an interpreter when
    // this class is first touched, which is at every start, whether or not the config names a size.
    [GeneratedRegex(@"^([0-9]+)(B|KB|MB|GB|TB|PB|EB)$", RegexOptions.CultureInvariant)]
    private static partial Regex ByteSize();

    /// <summary>
    /// Kratos compat: sizes such as "128MB" use binary multiples (1KB = 1024 bytes), as Kratos' byte-size
    /// parser does; the grammar (upper-case units, no spaces) is the one config.schema.json allows.
    /// </summary>
    internal static ulong ParseByteSize(JsonElement value, string key)
    {
        // A bare number would be ambiguous (bytes? KiB?), so like Kratos we insist on a unit.
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        var m = ByteSize().Match(text);
        if (!m.Success || !ulong.TryParse(m.Groups[1].Value, out var n))
            throw new ConfigException(key, $"'{text}' is not a size like 128MB (units B, KB, MB, GB, TB, PB, EB)");
        var shift = m.Groups[2].Value switch
        {
            "B" => 0, "KB" => 10, "MB" => 20, "GB" => 30, "TB" => 40, "PB" => 50, _ => 60,
        };
        if (shift > 0 && n > ulong.MaxValue >> shift) throw new ConfigException(key, $"'{text}' is too large");
        return n << shift;
    }

    private sealed class HashersSection
    {
        public string? Algorithm { get; set; }
        public BcryptSection? Bcrypt { get; set; }
        public Argon2Section? Argon2 { get; set; }
        public Pbkdf2Section? Pbkdf2 { get; set; }
    }

    private sealed class BcryptSection
    {
        public int? Cost { get; set; }
    }

    private sealed class Argon2Section
    {
        public JsonElement? Memory { get; set; }
        public int? Iterations { get; set; }
        public int? Parallelism { get; set; }
        public int? SaltLength { get; set; }
        public int? KeyLength { get; set; }
        public JsonElement? DedicatedMemory { get; set; }
    }

    private sealed class Pbkdf2Section
    {
        public string? Algorithm { get; set; }
        public int? Iterations { get; set; }
        public int? SaltLength { get; set; }
        public int? KeyLength { get; set; }
    }

    private sealed class LimitsSection
    {
        public int? MaxConcurrency { get; set; }
        public int? MaxQueue { get; set; }
        public string? TimeSlice { get; set; }
        public string? Batch { get; set; }
    }
}
