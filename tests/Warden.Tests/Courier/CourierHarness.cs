using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Config;
using Warden.Courier;
using Warden.Courier.Templates;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Courier;

/// <summary>A time source the test moves by hand, so retry delays and claim leases need no waiting.</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>The courier's parts over a fresh database, wired by hand with a manual clock.</summary>
internal sealed class CourierHarness : IAsyncDisposable
{
    private CourierHarness(Database db, ManualClock clock, CourierStore store, CourierOptions options, Outbox outbox, CourierSignal signal)
    {
        Signal = signal;
        Db = db;
        Clock = clock;
        Store = store;
        Options = options;
        Outbox = outbox;
    }

    public Database Db { get; }
    public ManualClock Clock { get; }
    public CourierStore Store { get; }
    public CourierOptions Options { get; }
    public Outbox Outbox { get; }

    /// <summary>The outbox's wake-up, which <see cref="Worker"/>s share as in serve.</summary>
    public CourierSignal Signal { get; }

    public static async Task<CourierHarness> CreateAsync(string dialect, string? smtpUri, int retries = 5, JsonObject? courier = null, int connections = 1) =>
        Build(await TestDb.CreateAsync(dialect, connections), smtpUri, retries, courier);

    /// <summary>Over an existing, migrated database (shared with a server or command under test).</summary>
    public static Task<CourierHarness> CreateOverAsync(string dsn) => Task.FromResult(Build(new Database(Dsn.Parse(dsn)), null, 5, null));

    private static CourierHarness Build(Database db, string? smtpUri, int retries, JsonObject? courier)
    {
        var section = courier ?? new JsonObject();
        section["message_retries"] = retries;
        if (smtpUri is not null) section["smtp"] = new JsonObject { ["connection_uri"] = smtpUri, ["from_address"] = "noreply@warden.test" };
        var config = new WardenConfig(new JsonObject { ["courier"] = section });
        var clock = new ManualClock();
        var store = new CourierStore(db, clock);
        var options = CourierOptions.From(config);
        var signal = new CourierSignal();
        var outbox = new Outbox(store, new MessageTemplates(config, NullLoggerFactory.Instance), signal, options, NullLoggerFactory.Instance, clock);
        return new CourierHarness(db, clock, store, options, outbox, signal);
    }

    public CourierWorker Worker() => new(Store, Options, Signal, NullLoggerFactory.Instance, Clock);

    public static JsonObject CodeModel(string to, string code) => new() { ["To"] = to, ["RecoveryCode"] = code, ["ExpiresInMinutes"] = 15 };

    public Task<Guid> QueueAsync(string to, string code = "424242") => Outbox.EnqueueEmailAsync(to, "recovery_code_valid", CodeModel(to, code));

    public async Task<MessageRow> GetAsync(Guid id) => await Store.GetAsync(id) ?? throw new InvalidOperationException("message missing");

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
