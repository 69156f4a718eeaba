using Warden.SelfService.Verification;

namespace Warden.Methods;

/// <summary>
/// A way to prove control of an address in the verification and recovery flows (<c>code</c>, <c>link</c>).
/// Like the login methods it never sees HTTP: it lays out the form for each flow state and names the
/// secret it mails; the flows do the sending, checking and answering.
/// </summary>
public interface IAddressFlowMethod
{
    /// <summary>The <c>method</c> value (<c>code</c> | <c>link</c>).</summary>
    string Id { get; }

    /// <summary>The form asking for an address.</summary>
    void PopulateChooseMethod(AddressFlow flow);

    /// <summary>The form after a message was sent to <paramref name="address"/>.</summary>
    void PopulateSent(AddressFlow flow, string address);

    /// <summary>The <c>one_time_codes.kind</c> of this method's secrets in a flow of <paramref name="kind"/>.</summary>
    string SecretKind(AddressFlowKind kind);

    /// <summary>A fresh secret (six digits for codes, a long token for links).</summary>
    string NewSecret();

    /// <summary>How long a mailed secret of this method stays valid (never longer than its flow).</summary>
    TimeSpan Lifespan { get; }

    /// <summary>Whether a submitted secret could be one of this method's (garbage never reaches the database).</summary>
    bool LooksValid(string secret);

    /// <summary>Whether wrong guesses count towards the flow's submission limit (short codes; long link tokens cannot be guessed).</summary>
    bool CountsSubmissions { get; }

    /// <summary>The courier template for a known (<paramref name="valid"/>) or unknown address.</summary>
    string Template(AddressFlowKind kind, bool valid);
}

/// <summary>The address-flow methods, keyed by id; built once at startup.</summary>
public sealed class AddressMethodRegistry(IEnumerable<IAddressFlowMethod> methods)
{
    public IReadOnlyDictionary<string, IAddressFlowMethod> All { get; } = methods.ToDictionary(m => m.Id, StringComparer.Ordinal);
}
