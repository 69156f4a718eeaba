using System.Reflection;
using Warden.Sessions;

namespace Warden.Bench;

/// <summary>
/// Warden's own token hashing and cookie sealing, reached by reflection because they are internal: seeded
/// sessions must carry exactly the digests and cookies the server computes, and copying the algorithms here
/// would silently drift when Warden changes them. A rename fails loudly at startup instead.
/// </summary>
internal sealed class WardenInternals
{
    public required Func<string> NewSessionToken { get; init; }
    public required Func<byte[], string, string> HashToken { get; init; }
    public required Func<byte[], Guid, string> LogoutToken { get; init; }
    public required Func<byte[], string, string, string> SealCookie { get; init; }
    public required Func<string, DateTime, string> CookiePayload { get; init; }

    public static WardenInternals Load()
    {
        var asm = typeof(SessionKeys).Assembly;
        return new WardenInternals
        {
            NewSessionToken = Bind<Func<string>>(asm, "Warden.Sessions.SessionTokens", "NewSessionToken"),
            HashToken = Bind<Func<byte[], string, string>>(asm, "Warden.Sessions.SessionTokens", "Hash"),
            LogoutToken = Bind<Func<byte[], Guid, string>>(asm, "Warden.Sessions.SessionTokens", "LogoutToken"),
            SealCookie = Bind<Func<byte[], string, string, string>>(asm, "Warden.Sessions.CookieSealer", "Seal"),
            CookiePayload = Bind<Func<string, DateTime, string>>(asm, "Warden.Sessions.CookiePayload", "Write"),
        };
    }

    private static T Bind<T>(Assembly asm, string type, string method) where T : Delegate
    {
        var parameters = typeof(T).GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        var m = asm.GetType(type)?.GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, parameters)
                ?? throw new BenchException($"Warden no longer has {type}.{method}; update bench/Tool/WardenInternals.cs");
        return m.CreateDelegate<T>();
    }
}
