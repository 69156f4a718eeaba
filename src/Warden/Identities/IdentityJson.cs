using System.Text.Json.Nodes;

namespace Warden.Identities;

/// <summary>
/// CONTRACT (filled in by the identities work): the Kratos wire shape of an identity.
/// Public renderings (sessions, flows) never include credentials or <c>metadata_admin</c>.
/// </summary>
public sealed class IdentityJson
{
    /// <param name="includeCredentials">admin only: credentials with their config (hashes included only when asked for).</param>
    /// <param name="admin">admin rendering: includes <c>metadata_admin</c>.</param>
    public JsonObject ToJson(Identity identity, bool admin = false, bool includeCredentials = false) => throw new NotImplementedException();
}
