using Warden.Config;
using Warden.SelfService;
using Warden.Ui;

namespace Warden.Methods.Password;

/// <summary>
/// <c>selfservice.methods.password.config</c>: minimum length, similarity to the identifier, and known
/// breaches. Returns the first message that rejects the password, or null.
/// </summary>
public sealed class PasswordPolicy(WardenConfig config, BreachChecker breaches)
{
    // Thresholds for "too similar": an edit distance below 5, or a shared run covering over half the password.
    private const int MinDistance = 5;
    private const double MaxSharedFraction = 0.5;

    public async Task<UiText?> ValidateAsync(string password, IEnumerable<string> identifiers, CancellationToken ct)
    {
        var policy = config.Section<PasswordMethodConfig>("selfservice.methods.password").Config;
        var length = password.EnumerateRunes().Count();
        if (length < Math.Max(1, policy.MinPasswordLength)) return Messages.PasswordMinLength(policy.MinPasswordLength, length);
        if (password.Length > 4096) return Messages.PasswordMaxLength(4096, password.Length);
        if (policy.IdentifierSimilarityCheckEnabled)
            foreach (var id in identifiers)
                if (TooSimilar(id, password)) return Messages.PasswordTooSimilar();
        if (policy.HaveibeenpwnedEnabled)
        {
            var count = await breaches.CountAsync(password, ct);
            if (count is null && !policy.IgnoreNetworkErrors)
                return Messages.PasswordPolicy("the password could not be checked against known data breaches, please try again later.");
            if (count > policy.MaxBreaches) return Messages.PasswordBreached(count.Value);
        }
        return null;
    }

    internal static bool TooSimilar(string identifier, string password)
    {
        if (string.IsNullOrEmpty(identifier)) return false;
        var p = password.ToLowerInvariant();
        foreach (var candidate in Candidates(identifier.ToLowerInvariant()))
        {
            if (candidate.Length == 0) continue;
            if (Levenshtein(candidate, p) < MinDistance) return true;
            if ((double)LongestCommonSubstring(candidate, p) / p.Length > MaxSharedFraction) return true;
        }
        return false;
    }

    // For e-mail identifiers the local part alone is what people reuse ("jane.doe@…" → "jane.doe1").
    private static IEnumerable<string> Candidates(string id)
    {
        yield return id;
        var at = id.IndexOf('@');
        if (at > 0) yield return id[..at];
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    private static int LongestCommonSubstring(string a, string b)
    {
        var best = 0;
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : 0;
                if (cur[j] > best) best = cur[j];
            }
            (prev, cur) = (cur, prev);
            Array.Clear(cur);
        }
        return best;
    }
}
