namespace Warden.Courier.Delivery;

/// <summary>
/// One failed delivery attempt. The message is stored as the dispatch error, so it must never hold a secret.
/// <paramref name="permanent"/>: retrying cannot help (no channel configured), so the message is abandoned at once.
/// </summary>
public sealed class DeliveryException(string message, bool permanent = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
