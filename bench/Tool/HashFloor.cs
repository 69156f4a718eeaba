using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Warden.Config;
using Warden.Hashing;

namespace Warden.Bench;

/// <summary>
/// The physical limit of password logins: single-thread time of one hash and one verification with Warden's
/// own PasswordHasher under the given config (run it pinned to one core). A server on one core cannot log in
/// more than 1000/verify_ms users per second whatever else it does. bench/run.sh measures it once at the start
/// and again right before and after every login and registration run, because this machine's speed drifts by
/// 10-20 % over minutes (a shared host), more than the overhead the ratio is meant to show.
/// With --identity-pbkdf2 it also times the primitive ASP.NET Core Identity's default hasher uses
/// (PBKDF2-HMAC-SHA512, 100k iterations, 32-byte subkey).
/// </summary>
internal static class HashFloor
{
    private const string Password = "Correct-Horse-Battery-42";

    public static async Task<int> RunAsync(Options o)
    {
        var budget = o.Duration("budget", TimeSpan.FromSeconds(3));
        // --only verify|hash: the floor measured right next to one login or registration run needs just one of them.
        var only = o.Maybe("only");
        if (o.Flag("identity-pbkdf2"))
        {
            var salt = RandomNumberGenerator.GetBytes(16);
            var t = Time(budget, () => Rfc2898DeriveBytes.Pbkdf2(Password, salt, 100_000, HashAlgorithmName.SHA512, 32));
            Print("identity-pbkdf2", t, t);
            return 0;
        }
        var config = ConfigLoader.LoadUnvalidated([o.Str("config")], new Dictionary<string, string?>(), dev: false);
        // One slot, no queue limit that matters: we time the hash, not the limiter.
        var hasher = new PasswordHasher(config);
        var hash = await hasher.HashAsync(Password);
        var hashT = only == "verify" ? Timing.None : Time(budget, () => hasher.HashAsync(Password).GetAwaiter().GetResult());
        var verifyT = only == "hash" ? Timing.None : Time(budget, () =>
        {
            if (!hasher.VerifyAsync(Password, hash).GetAwaiter().GetResult()) throw new BenchException("verification of a fresh hash failed");
        });
        Print(o.Maybe("name") ?? hasher.Options.Algorithm.ToString().ToLowerInvariant(), hashT, verifyT);
        return 0;
    }

    /// <summary>Mean (total time / count) and 10th percentile of one operation, in ms.</summary>
    private readonly record struct Timing(double Mean, double P10)
    {
        public static readonly Timing None = new(double.NaN, double.NaN);
    }

    /// <summary>
    /// Back-to-back runs after one warm-up (at least 10, until the budget is spent). The floor is the mean: a
    /// server doing nothing but this operation completes count / total time of them per second, so 1000 / mean
    /// is the ceiling its throughput is compared with. The 10th percentile is printed too; it is what the core
    /// manages on its best runs, and it overstates the sustained rate whenever the machine's speed varies.
    /// </summary>
    private static Timing Time(TimeSpan budget, Action work)
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
        var elapsed = total.Elapsed.TotalMilliseconds;
        return new Timing(elapsed / samples.Count, samples.Order().ElementAt(samples.Count / 10));
    }

    private static void Print(string name, Timing hash, Timing verify) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"FLOOR name={name} hash_ms={hash.Mean:0.00} verify_ms={verify.Mean:0.00} hash_p10_ms={hash.P10:0.00} verify_p10_ms={verify.P10:0.00} floor_login_per_s={1000 / verify.Mean:0.00} floor_registration_per_s={1000 / hash.Mean:0.00}"));
}
