using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Warden.Http.Flows;
using Warden.Identities;
using Warden.SelfService.Hooks;
using Warden.Sessions;

namespace Warden.SelfService.Settings;

/// <summary>
/// Runs <c>selfservice.flows.settings.before.hooks</c> and <c>after[.&lt;method&gt;].hooks</c> with the same
/// hook implementations as login/registration. Unknown hook names are skipped and logged once.
/// </summary>
public sealed class SettingsHooks(IEnumerable<IFlowHook> hooks, SettingsFlowConfig config, ILogger<SettingsHooks> log)
{
    private readonly Dictionary<string, IFlowHook> _byName = hooks.ToDictionary(h => h.Name, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _warned = new();

    public Task RunBeforeAsync(HttpContext ctx, SettingsFlow flow, ClientKind client, Identity identity, Session session) =>
        RunAsync(config.Before.Hooks, Context(ctx, flow, client, HookPhase.Before, null, identity, session), ctx.RequestAborted);

    /// <summary>Runs the after hooks of <paramref name="method"/>; returns their <c>continue_with</c> items.</summary>
    public async Task<HookContext> RunAfterAsync(HttpContext ctx, SettingsFlow flow, ClientKind client, string method,
        Identity identity, Session session)
    {
        var context = Context(ctx, flow, client, HookPhase.After, method, identity, session);
        await RunAsync(config.After.HooksFor(method), context, ctx.RequestAborted);
        return context;
    }

    private static HookContext Context(HttpContext ctx, SettingsFlow flow, ClientKind client, HookPhase phase, string? method,
        Identity identity, Session session) => new()
    {
        Http = ctx, Flow = flow, Client = client, Phase = phase, Method = method, Identity = identity, Session = session,
    };

    private async Task RunAsync(IEnumerable<SelfService.HookConfig> configured, HookContext context, CancellationToken ct)
    {
        foreach (var entry in configured)
        {
            if (_byName.TryGetValue(entry.Hook, out var hook))
                await hook.ExecuteAsync(context, entry.Config, ct);
            else if (_warned.TryAdd(entry.Hook, true))
                log.LogWarning("Settings hook {Hook} is configured but not implemented yet; it is skipped", entry.Hook);
        }
    }
}
