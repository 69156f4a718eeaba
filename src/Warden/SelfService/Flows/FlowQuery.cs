using Microsoft.Extensions.Primitives;
using Warden.Http;

namespace Warden.SelfService.Flows;

/// <summary>Strict parsing of flow query parameters: a malformed value is a 400, never silently ignored.</summary>
internal static class FlowQuery
{
    public static bool Bool(StringValues value, string name)
    {
        var s = value.ToString();
        if (s.Length == 0) return false;
        return s.ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw ApiException.BadRequest($"The '{name}' query parameter must be true or false."),
        };
    }

    public static string Aal(StringValues value)
    {
        var s = value.ToString();
        if (s.Length == 0) return "aal1";
        return s is "aal1" or "aal2" or "aal3"
            ? s
            : throw ApiException.BadRequest("The 'aal' query parameter must be aal1, aal2 or aal3.");
    }
}
