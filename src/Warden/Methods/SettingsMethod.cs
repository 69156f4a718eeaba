using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.Schemas;
using Warden.SelfService.Settings;

namespace Warden.Methods;

/// <summary>
/// A way to change one's own account in a settings flow (profile, password, later totp, webauthn, …).
/// A submission is handled in two steps so a change that needs a recently authenticated session can wait
/// for re-authentication: <see cref="PrepareAsync"/> judges the submission and returns the change as a
/// storable payload (never containing a plaintext secret), <see cref="ApplyAsync"/> writes it, possibly in
/// a later request after the user signed in again.
/// </summary>
public interface ISettingsMethod
{
    /// <summary>The <c>method</c> value that selects this method in a submission.</summary>
    string Id { get; }
    bool Enabled { get; }
    /// <summary>Adds (or refreshes) this method's nodes for <paramref name="identity"/>.</summary>
    void PopulateSettings(SettingsFlow flow, Identity identity, IdentitySchema schema);
    /// <summary>Null when the submission is invalid; the messages are then on the flow's nodes.</summary>
    Task<SettingsChange?> PrepareAsync(SettingsFlow flow, Identity identity, IdentitySchema schema, JsonObject body, CancellationToken ct);
    /// <summary>Writes a prepared change; null when it cannot be applied (messages on the flow).</summary>
    Task<Identity?> ApplyAsync(SettingsFlow flow, Identity identity, IdentitySchema schema, JsonObject payload, CancellationToken ct);
}

/// <summary>
/// A judged settings submission. <see cref="Privileged"/> changes (credentials, identifiers, addresses)
/// need a session younger than <c>privileged_session_max_age</c>; the payload may be stored meanwhile.
/// </summary>
public sealed record SettingsChange(JsonObject Payload, bool Privileged);

/// <summary>The enabled settings methods in registration order (which is also their order in the form).</summary>
public sealed class SettingsMethodRegistry(IEnumerable<ISettingsMethod> methods)
{
    public IReadOnlyList<ISettingsMethod> All { get; } = methods.Where(m => m.Enabled).ToList();

    public ISettingsMethod? Find(string? id) => id is null ? null : All.FirstOrDefault(m => m.Id == id);
}
