using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Warden.Config;
using Warden.Hashing;

namespace Warden.Bench;

/// <summary>
/// The physical limit of password logins: single-thread time of one hash and one verification with Warden's
/// own PasswordHasher under the given config (run it pinned to one core). A server on one core cannot log in
/// more than 1000/verify_ms users per second whatever else it does.
/// With --identity-pbkdf2 it also times the primitive ASP.NET Core Identity's default hasher uses
/// (PBKDF2-HMAC-SHA512, 100k iterations, 32-byte subkey).
/// </summary>
internal static class HashFloor
{
    private const string Password = "Correct-Horse-Battery-42";

    public static async Task<int> RunAsync(Options o)
    {
        var budget = o.Duration("budget", TimeSpan.FromSeconds(3));
        if (o.Flag("identity-pbkdf2"))
        {
            var salt = RandomNumberGenerator.GetBytes(16);
            var ms = Time(budget, () => Rfc2898DeriveBytes.Pbkdf2(Password, salt, 100_000, HashAlgorithmName.SHA512, 32));
            Print("identity-pbkdf2", ms, ms);
            return 0;
        }
        var config = ConfigLoader.LoadUnvalidated([o.Str("config")], new Dictionary<string, string?>(), dev: false);
        // One slot, no queue limit that matters: we time the hash, not the limiter.
        var hasher = new PasswordHasher(config);
        var hash = await hasher.HashAsync(Password);
        var hashMs = Time(budget, () => hasher.HashAsync(Password).GetAwaiter().GetResult());
        var verifyMs = Time(budget, () =>
        {
            if (!hasher.VerifyAsync(Password, hash).GetAwaiter().GetResult()) throw new BenchException("verification of a fresh hash failed");
        });
        Print(o.Maybe("name") ?? hasher.Options.Algorithm.ToString().ToLowerInvariant(), hashMs, verifyMs);
        return 0;
    }

    /// <summary>
    /// 10th percentile of repeated runs after one warm-up (at least 10 runs, until the budget is spent): a floor is
    /// what the core can do, so samples slowed by a stray background process should not lower it.
    /// </summary>
    private static double Time(TimeSpan budget, Action work)
    {
        work();
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (samples.Count < 10 || total.Elapsed < budget)
        {
            var one = Stopwatch.StartNew();
            work();
            samples.Add(one.Elapsed.TotalMilliseconds);
        }
        return samples.Order().ElementAt(samples.Count / 10);
    }

    private static void Print(string name, double hashMs, double verifyMs) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"FLOOR name={name} hash_ms={hashMs:0.00} verify_ms={verifyMs:0.00} floor_login_per_s={1000 / verifyMs:0.00} floor_registration_per_s={1000 / hashMs:0.00}"));
}
