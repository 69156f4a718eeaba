using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Hashing;

namespace Warden.Bench;

/// <summary>
/// Creates the identities the login benchmark signs in as, through the admin API with a hash made by Warden's
/// PasswordHasher under the server's config: the stored hash is in the configured algorithm, so a login costs
/// exactly one verification and never a re-hash.
/// </summary>
internal static class LoginUsers
{
    public const string Password = "Correct-Horse-Battery-42";

    public static async Task<int> RunAsync(Options o)
    {
        var config = ConfigLoader.LoadUnvalidated([o.Str("config")], new Dictionary<string, string?>(), dev: false);
        var admin = o.Str("admin").TrimEnd('/');
        var count = o.Int("count", 32);
        var prefix = o.Str("prefix");
        var hash = await new PasswordHasher(config).HashAsync(Password);
        using var http = new HttpClient();
        var emails = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var email = $"{prefix}-{i}@bench.example.org";
            var body = new JsonObject
            {
                ["schema_id"] = "default",
                ["traits"] = new JsonObject { ["email"] = email },
                ["credentials"] = new JsonObject { ["password"] = new JsonObject { ["config"] = new JsonObject { ["hashed_password"] = hash } } },
            };
            var r = await http.PostAsJsonAsync($"{admin}/admin/identities", body);
            if (!r.IsSuccessStatusCode) throw new BenchException($"creating {email} failed: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            emails.Add(email);
        }
        await File.WriteAllLinesAsync(o.Str("out"), emails);
        return 0;
    }
}
