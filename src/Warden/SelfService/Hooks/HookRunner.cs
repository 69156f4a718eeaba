using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Warden.SelfService.Flows;

namespace Warden.SelfService.Hooks;

/// <summary>
/// Runs the hooks configured for a flow phase. After hooks: <c>after.&lt;method&gt;.hooks</c> when the
/// method section lists hooks, else <c>after.hooks</c> (Kratos' precedence). Hook names Warden does not
/// implement yet are skipped and logged once. After registration the <c>verification</c> hook always runs
/// first (see <see cref="RunAfterAsync"/>).
/// </summary>
public sealed class HookRunner(IEnumerable<IFlowHook> hooks, SelfServiceUrls urls, ILogger<HookRunner> log)
{
    private readonly Dictionary<string, IFlowHook> _byName = hooks.ToDictionary(h => h.Name, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _warned = new();

    public Task RunBeforeAsync(HookContext context, CancellationToken ct) =>
        RunAsync(urls.FlowConfig(context.Flow.Kind).Before.Hooks, context, ct);

    public async Task RunAfterAsync(HookContext context, CancellationToken ct)
    {
        // Kratos compat: verification after registration needs no hook config; it runs whenever verification is
        // enabled (the hook checks), before the configured hooks so show_verification_ui finds its flow.
        if (context.Flow.Kind == FlowKind.Registration && _byName.TryGetValue(VerificationHook.HookName, out var verify))
            await verify.ExecuteAsync(context, null, ct);
        var after = urls.FlowConfig(context.Flow.Kind).After;
        var configured = context.Method is { } m && after.ForMethod(m)?.Hooks is { } methodHooks ? methodHooks : after.Hooks;
        await RunAsync(configured, context, ct);
    }

    /// <summary>Whether the after phase for this method includes <paramref name="hook"/>.</summary>
    public bool AfterIncludes(FlowKind kind, string method, string hook)
    {
        var after = urls.FlowConfig(kind).After;
        var configured = after.ForMethod(method)?.Hooks ?? after.Hooks;
        return configured.Any(h => h.Hook == hook);
    }

    private async Task RunAsync(IEnumerable<HookConfig> configured, HookContext context, CancellationToken ct)
    {
        foreach (var entry in configured)
        {
            if (_byName.TryGetValue(entry.Hook, out var hook))
                await hook.ExecuteAsync(context, entry.Config, ct);
            else if (_warned.TryAdd(entry.Hook, true))
                log.LogWarning("Flow hook {Hook} is configured but not implemented yet; it is skipped", entry.Hook);
        }
    }
}
