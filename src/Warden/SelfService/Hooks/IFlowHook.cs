using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http.Flows;
using Warden.Identities;
using Warden.SelfService.Flows;
using Warden.Sessions;

namespace Warden.SelfService.Hooks;

public enum HookPhase { Before, After }

/// <summary>What a hook may look at and change while a flow runs.</summary>
public sealed class HookContext
{
    public required HttpContext Http { get; init; }
    /// <summary>The flow being run; <see cref="ISelfServiceFlow.Kind"/> says which one (hooks may branch on it).</summary>
    public required ISelfServiceFlow Flow { get; init; }
    public required ClientKind Client { get; init; }
    public required HookPhase Phase { get; init; }
    /// <summary>The method that completed the flow (after hooks only).</summary>
    public string? Method { get; init; }
    public Identity? Identity { get; set; }
    /// <summary>Set by the login flow, or by the <c>session</c> hook after registration.</summary>
    public Session? Session { get; set; }
    /// <summary>The authentication method to record on a session a hook issues.</summary>
    public AuthenticationMethod? AuthenticationMethod { get; init; }
    /// <summary><c>continue_with</c> items for the response (verification UI, redirects, …).</summary>
    public JsonArray ContinueWith { get; } = [];
    /// <summary>Set once verification messages were sent for this run, so a second invocation sends nothing.</summary>
    public bool VerificationStarted { get; set; }
}

/// <summary>
/// A configurable flow hook (<c>{hook: session}</c>, later <c>revoke_active_sessions</c>,
/// <c>require_verified_address</c>, <c>web_hook</c>, <c>show_verification_ui</c>). Throw an
/// <see cref="Warden.Http.ApiException"/> to stop the flow.
/// </summary>
public interface IFlowHook
{
    /// <summary>The <c>hook</c> value in config.</summary>
    string Name { get; }

    Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct);
}
