using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Sessions;

namespace Warden.SelfService.Hooks;

/// <summary>
/// <c>hook: revoke_active_sessions</c>: after a settings change (typically a new password) or a login, every
/// other session of the identity ends at once, so whoever held a stolen cookie or token is signed out. The
/// session that made the change stays.
/// </summary>
internal sealed class RevokeActiveSessionsHook(SessionManager sessions, ILogger<RevokeActiveSessionsHook> log) : IFlowHook
{
    public string Name => "revoke_active_sessions";

    public async Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct)
    {
        if (context.Phase != HookPhase.After || context.Identity is null) return;
        // Without a session to keep (e.g. registration without the session hook) every session ends.
        var keep = context.Session?.Id ?? Guid.Empty;
        var ended = await sessions.RevokeOthersAsync(context.Identity.Id, keep, ct);
        log.LogInformation("Ended {Count} other session(s) of identity {IdentityId}", ended, context.Identity.Id);
    }
}
