using System.Globalization;

namespace Warden.Sessions;

/// <summary>
/// What the sealed cookie carries: the session token and the session expiry the cookie was written for
/// (<c>token|ticks</c>). The expiry lets whoami notice an extended session and re-send the cookie without a
/// database write. Cookies written before the expiry was added hold only the token; their expiry is unknown.
/// </summary>
internal static class CookiePayload
{
    private const char Separator = '|';

    public static string Write(string token, DateTime expiresAt) =>
        token + Separator + expiresAt.Ticks.ToString(CultureInfo.InvariantCulture);

    public static (string? Token, DateTime? ExpiresAt) Read(string? payload)
    {
        if (payload is null) return (null, null);
        var cut = payload.IndexOf(Separator);
        if (cut < 0) return (payload, null);
        var ticks = long.TryParse(payload.AsSpan(cut + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var t) &&
                    t >= DateTime.MinValue.Ticks && t <= DateTime.MaxValue.Ticks
            ? new DateTime(t, DateTimeKind.Utc)
            : (DateTime?)null;
        return (payload[..cut], ticks);
    }
}
