namespace Warden.Http;

/// <summary>
/// An HTTP client made on first use and held as <c>object</c>. The runtime loads System.Net.Http when it compiles a
/// method naming its types; neither this class nor a field of it names one, so a deployment that never makes the
/// request (file:// schemas and templates, breach check off, no built-in UI) does not map the assembly. The owner
/// casts <see cref="Value"/> inside the method that sends. One lock object, so two first users never build two.
/// </summary>
internal sealed class OnDemandClient(Func<object> create) : IDisposable
{
    private object? _client;
    private object? _lock;

    public object Value => LazyInitializer.EnsureInitialized(ref _client, ref _lock, create);

    public void Dispose() => (_client as IDisposable)?.Dispose();
}
