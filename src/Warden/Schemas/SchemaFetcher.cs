using System.Text.Json.Nodes;
using Warden.Config;

namespace Warden.Schemas;

/// <summary>
/// What a configured schema needs to (re)load itself after startup: the guarded HTTP client (private ranges
/// refused when configured, timeout, size cap), the config (for relative file paths) and the retry policy.
/// One per <see cref="IdentitySchemas"/>; it lives as long as the process, like the schemas do.
/// </summary>
internal sealed class SchemaFetcher(WardenConfig config, SchemaHttpSource http)
{
    /// <summary>A failed fetch is not retried sooner than this, so an outage is not hammered by every request.</summary>
    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(30);

    public WardenConfig Config { get; } = config;

    /// <summary>Replaceable so tests can move time instead of waiting for it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public TimeSpan RetryInterval { get; set; } = DefaultRetryInterval;

    /// <param name="handler">An <c>HttpMessageHandler</c> for tests (see <see cref="SchemaHttpSource"/>).</param>
    public static SchemaFetcher Create(WardenConfig config, object? handler = null) =>
        new(config, new SchemaHttpSource(config.Bool("clients.http.disallow_private_ip_ranges"), handler));

    /// <summary>Any supported URL; failures are <see cref="SchemaSourceException"/>s.</summary>
    public Task<JsonObject> FetchAsync(string url) => SchemaSource.FetchAsync(url, Config, http);

    /// <summary>
    /// The same, waited for: only for loading the configuration (<see cref="SchemaLoader"/>), which runs inside
    /// <c>WardenHost.Create</c> on the caller's thread. Warden.Server calls that before its first socket operation,
    /// so even with the runtime's inline socket completions on, the waiting thread is never the socket thread the
    /// fetch completes on; request paths use <see cref="FetchAsync"/>.
    /// </summary>
    public JsonObject FetchAtStartup(string url) => FetchAsync(url).GetAwaiter().GetResult();
}
