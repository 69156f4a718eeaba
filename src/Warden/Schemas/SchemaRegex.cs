using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Warden.Schemas;

/// <summary>
/// <c>pattern</c>/<c>patternProperties</c> regexes, compiled once per distinct pattern. Schemas are
/// operator-supplied but the input is not: a match timeout keeps a catastrophic pattern from pinning a
/// core, and a timed-out match counts as "does not match".
/// </summary>
internal static class SchemaRegex
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly ConcurrentDictionary<string, Regex?> Cache = new(StringComparer.Ordinal);

    public static bool TryCompile(string pattern, out Regex? regex)
    {
        regex = Cache.GetOrAdd(pattern, static p =>
        {
            try
            {
                // JSON Schema patterns are ECMA-262 and unanchored; .NET's default dialect covers what identity
                // schemas use (classes, quantifiers, anchors, unicode categories).
                return new Regex(p, RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
        return regex is not null;
    }

    public static bool IsMatch(string pattern, string value)
    {
        if (!TryCompile(pattern, out var regex)) return false;
        try
        {
            return regex!.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
