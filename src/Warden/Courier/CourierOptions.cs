using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Courier.Sms;

namespace Warden.Courier;

/// <summary>The courier's config: retries, worker pacing, SMTP, SMS channels.</summary>
public sealed class CourierOptions
{
    /// <summary><c>courier.message_retries</c>: failed attempts allowed before a message is abandoned.</summary>
    public int MessageRetries { get; init; } = 5;

    /// <summary><c>courier.worker.pull_count</c>: messages claimed per round.</summary>
    public int PullCount { get; init; } = 10;

    /// <summary>
    /// <c>courier.worker.pull_wait</c>: the pause between polls of <c>courier watch</c>, the shortest pause of the
    /// worker inside serve (see <see cref="CourierWorker.RunAsync"/>), and the first retry delay.
    /// </summary>
    public TimeSpan PullWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Null when <c>courier.smtp.connection_uri</c> is not set: e-mails then wait in the queue.</summary>
    internal Smtp.SmtpSettings? Smtp { get; init; }

    /// <summary>The SMS channel (<c>courier.channels</c> entry with id sms, or legacy <c>courier.sms</c>), if any.</summary>
    internal HttpChannel? SmsChannel { get; init; }

    /// <summary><c>courier.delivery_strategy: http</c> (e-mail over HTTP) is not implemented; e-mails then stay queued.</summary>
    public bool EmailOverHttp { get; init; }

    public static CourierOptions From(WardenConfig config)
    {
        var retries = Int(config, "courier.message_retries", 5, 0);
        var pullCount = Int(config, "courier.worker.pull_count", 10, 1);
        var wait = config.Duration("courier.worker.pull_wait", TimeSpan.FromSeconds(1));
        if (wait <= TimeSpan.Zero) throw new ConfigException("courier.worker.pull_wait", "must be a positive duration");
        return new CourierOptions
        {
            MessageRetries = retries,
            PullCount = Math.Min(pullCount, 1000),
            PullWait = wait,
            Smtp = Courier.Smtp.SmtpSettings.From(config),
            SmsChannel = HttpChannel.From(config),
            EmailOverHttp = config.String("courier.delivery_strategy") == "http",
        };
    }

    /// <summary>The delay before attempt n+1 after n failures: pull_wait doubled per failure, at most 10 minutes.</summary>
    public TimeSpan Backoff(int failures)
    {
        var ticks = PullWait.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, TimeSpan.FromMinutes(10).Ticks));
    }

    private static int Int(WardenConfig config, string key, int fallback, int min)
    {
        var node = config.Node(key);
        if (node is null) return fallback;
        if (node is JsonValue v && (v.TryGetValue<int>(out var i) || (v.TryGetValue<string>(out var s) && int.TryParse(s, out i))) && i >= min)
            return i;
        if (node is JsonValue d && d.TryGetValue<double>(out var f) && f % 1 == 0 && f >= min && f <= int.MaxValue) return (int)f;
        throw new ConfigException(key, $"must be an integer of at least {min}");
    }
}
