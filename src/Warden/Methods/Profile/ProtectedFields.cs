using Warden.Schemas;

namespace Warden.Methods.Profile;

/// <summary>
/// Whether a traits change moves anything the account's security hangs on: a sign-in identifier of any
/// credential type, or an address used for verification, recovery or one-time codes. Compared on the
/// schema's normalised extraction, so changing only the case of an e-mail address is not a change.
/// </summary>
internal static class ProtectedFields
{
    public static bool Changed(SchemaExtraction before, SchemaExtraction after) =>
        !Keys(before).SetEquals(Keys(after));

    private static HashSet<string> Keys(SchemaExtraction e)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (type, ids) in e.Identifiers)
            foreach (var id in ids) keys.Add($"id\n{type}\n{id}");
        foreach (var a in e.VerifiableAddresses) keys.Add($"verify\n{a.Via}\n{Norm(a)}");
        foreach (var a in e.RecoveryAddresses) keys.Add($"recover\n{a.Via}\n{Norm(a)}");
        foreach (var a in e.CodeAddresses) keys.Add($"code\n{a.Via}\n{Norm(a)}");
        return keys;
    }

    private static string Norm(AddressRef a) => TraitNormalization.Address(a.Via, a.Value);
}
