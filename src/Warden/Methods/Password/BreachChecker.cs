using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.SelfService;
using Warden.Http;

namespace Warden.Methods.Password;

/// <summary>
/// Asks a Have I Been Pwned compatible range API how often a password appeared in breaches. Only the
/// first five hex digits of the SHA-1 leave the server (k-anonymity); the password never does.
/// </summary>
public sealed class BreachChecker(WardenConfig config, ILogger<BreachChecker> log)
{
    // Made with the first check (OnDemandClient): the check is off in many deployments.
    private readonly OnDemandClient _client = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(5) });

    private HttpClient Http => (HttpClient)_client.Value;

    /// <summary>Breach count, or null when the service could not be reached.</summary>
    public async Task<long?> CountAsync(string password, CancellationToken ct)
    {
        var policy = config.Section<PasswordMethodConfig>("selfservice.methods.password").Config;
        var sha1 = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
        var prefix = sha1[..5];
        var suffix = sha1[5..];
        // The host may carry a scheme (tests and self-hosted mirrors over plain HTTP); Kratos' bare host means HTTPS.
        var host = policy.HaveibeenpwnedHost.TrimEnd('/');
        var baseUrl = host.Contains("://") ? host : "https://" + host;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/range/{prefix}");
            request.Headers.Add("Add-Padding", "true");
            using var response = await Http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("Password breach lookup answered {Status}", (int)response.StatusCode);
                return null;
            }
            var body = await response.Content.ReadAsStringAsync(ct);
            foreach (var line in body.Split('\n'))
            {
                var parts = line.Trim().Split(':');
                if (parts.Length == 2 && parts[0].Equals(suffix, StringComparison.OrdinalIgnoreCase) && long.TryParse(parts[1], out var count))
                    return count;
            }
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning("Password breach lookup failed: {Type}", e.GetType().Name);
            return null;
        }
    }
}
