using System.Text.Json.Nodes;
using Warden.Sessions;

namespace Warden.SelfService.Hooks;

/// <summary>
/// <c>hook: session</c> after registration: signs the new identity in right away. Without it a
/// registration issues no session (Kratos' default, which avoids account enumeration).
/// </summary>
internal sealed class SessionHook(SessionManager sessions) : IFlowHook
{
    public string Name => "session";

    public async Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct)
    {
        if (context.Phase != HookPhase.After || context.Identity is null || context.Session is not null) return;
        var method = context.AuthenticationMethod ?? new AuthenticationMethod(context.Method ?? "password", "aal1", DateTime.UtcNow);
        context.Session = await sessions.IssueAsync(context.Identity, [method], sessions.Device(context.Http), ct: ct);
    }
}
