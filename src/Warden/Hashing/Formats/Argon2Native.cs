using System.Runtime.InteropServices;

namespace Warden.Hashing.Formats;

/// <summary>
/// Binding to the reference Argon2 implementation (Debian's <c>libargon2</c>). Loaded by hand rather than
/// with <c>[DllImport]</c> so a missing library is a value we can report (<see cref="Available"/>), not a
/// <see cref="DllNotFoundException"/> in the middle of a login.
/// </summary>
internal static class Argon2Native
{
    public enum Variant { D = 0, I = 1, Id = 2 }

    public const int Version13 = 0x13;

    // int argon2_hash(t_cost, m_cost, parallelism, pwd, pwdlen, salt, saltlen, hash, hashlen,
    //                 encoded, encodedlen, type, version) from argon2.h.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int HashFn(uint tCost, uint mCost, uint parallelism, byte[] pwd, nuint pwdLen, byte[] salt, nuint saltLen,
        [Out] byte[] hash, nuint hashLen, IntPtr encoded, nuint encodedLen, int type, int version);

    private static readonly string[] Candidates = ["libargon2.so.1", "libargon2.so", "libargon2.1.dylib", "libargon2.dylib", "argon2"];

    private static readonly Lazy<HashFn?> Function = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool Available => Function.Value is not null;

    /// <summary>Raw Argon2 output, or null when the library is missing or rejects the parameters.</summary>
    public static byte[]? Hash(Variant variant, byte[] password, byte[] salt, uint iterations, uint memoryKiB, uint parallelism, int keyLength)
    {
        if (Function.Value is not { } fn) return null;
        var output = new byte[keyLength];
        // An empty array would still marshal as a valid pointer; the library accepts length 0.
        var rc = fn(iterations, memoryKiB, parallelism, password, (nuint)password.Length, salt, (nuint)salt.Length,
            output, (nuint)output.Length, IntPtr.Zero, 0, (int)variant, Version13);
        return rc == 0 ? output : null;
    }

    private static HashFn? Load()
    {
        foreach (var name in Candidates)
        {
            if (!NativeLibrary.TryLoad(name, typeof(Argon2Native).Assembly, null, out var handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "argon2_hash", out var address))
                return Marshal.GetDelegateForFunctionPointer<HashFn>(address);
        }
        return null;
    }
}
