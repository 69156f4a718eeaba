namespace Warden.Persistence;

/// <summary>
/// Stores announce here which identities and sessions this process has just changed, so in-process caches
/// (the whoami cache) drop them at once instead of waiting for the database's change feed. Raised by the
/// store methods that write; a missed call costs freshness only until the feed (triggers, migration 0006)
/// reports the same change, never correctness of what is stored.
/// </summary>
public sealed class ChangeSignals
{
    public event Action<Guid>? IdentityChanged;
    public event Action<Guid>? SessionChanged;
    public event Action<string>? SessionTokenChanged;

    /// <summary>Something the identity's sessions render changed: traits, state, addresses, or its sessions as a whole.</summary>
    public void Identity(Guid identityId) => IdentityChanged?.Invoke(identityId);

    public void Session(Guid sessionId) => SessionChanged?.Invoke(sessionId);

    /// <summary>The session stored under one of these token digests changed (native logout names a session by its token).</summary>
    public void SessionTokens(IEnumerable<string> digests)
    {
        foreach (var d in digests) SessionTokenChanged?.Invoke(d);
    }
}
