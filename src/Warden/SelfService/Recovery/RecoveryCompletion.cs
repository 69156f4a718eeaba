using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Warden.Config;
using Warden.Http;
using Warden.Http.Flows;
using Warden.Identities;
using Warden.Methods;
using Warden.Methods.Code;
using Warden.SelfService.Verification;
using Warden.Sessions;
using Warden.Ui;

namespace Warden.SelfService.Recovery;

/// <summary>A redeemed recovery: the fresh session and the settings flow to continue in.</summary>
public sealed record Recovered(Identity Identity, Session Session, Guid SettingsFlowId);

/// <summary>
/// What a redeemed recovery code or link does: sign the identity in with a fresh (privileged) session, mark
/// the address it proved verified, open a settings flow, and send the user there.
/// </summary>
public sealed class RecoveryCompletion(IdentityService identities, SessionManager sessions, AddressFlowStore store,
    AddressFlowUrls urls, IRecoverySettingsFlows settings, WardenConfig config, AddressFlowOptions options,
    ILogger<RecoveryCompletion> log)
{
    private readonly ConcurrentDictionary<string, bool> _warned = new();
    private readonly TimeSpan _privileged = config.Duration("selfservice.flows.settings.privileged_session_max_age", TimeSpan.FromMinutes(15));

    /// <summary>Runs inside the transaction that consumed the code: everything happens, or nothing and the code stays unused.</summary>
    public async Task<Recovered> SignInAsync(HttpContext ctx, AddressFlow flow, IAddressFlowMethod method, ConsumedCode used,
        DbConnection c, DbTransaction tx)
    {
        var ct = ctx.RequestAborted;
        var identity = used.IdentityId is { } id ? await identities.GetAsync(c, tx, id, includeCredentials: false, ct) : null;
        if (identity is null) throw ApiException.BadRequest("The account this recovery was started for no longer exists.");
        if (identity.State != "active") throw ApiException.BadRequest("This account has been disabled.", "session_identity_disabled");
        // Receiving the mail proves control of the address, so it counts as verified (as in Kratos).
        if (used.AddressVia is { } via && used.Address is { } value) await AddressLookup.MarkVerifiedAsync(identities.Database.Changes, c, tx, identity.Id, via, value, ct);
        var now = DateTime.UtcNow;
        var session = await sessions.IssueAsync(identity, [new AuthenticationMethod($"{method.Id}_recovery", "aal1", now)],
            sessions.Device(ctx), c, tx, ct);
        var message = Messages.RecoverySuccessful(session.AuthenticatedAt + _privileged);
        var settingsId = await settings.CreateAsync(ctx, identity, flow.IsApi, flow.ReturnTo, message, c, tx, ct);
        flow.State = AddressFlow.States.PassedChallenge;
        flow.Ui.ResetMessages();
        flow.ContinueWith = [];
        if (flow.IsApi) flow.ContinueWith.Add(new JsonObject { ["action"] = "set_ory_session_token", ["ory_session_token"] = session.Token });
        var settingsItem = new JsonObject { ["id"] = settingsId };
        if (!flow.IsApi) settingsItem["url"] = urls.SettingsUi(settingsId);
        flow.ContinueWith.Add(new JsonObject { ["action"] = "show_settings_ui", ["flow"] = settingsItem });
        // Stored without the session token: it is handed to the app once, in this response.
        var stored = flow.ContinueWith.DeepClone().AsArray();
        foreach (var item in stored.OfType<JsonObject>()) item.Remove("ory_session_token");
        var response = flow.ContinueWith;
        flow.ContinueWith = stored;
        await store.UpdateAsync(flow, c, tx, ct);
        flow.ContinueWith = response;
        return new Recovered(identity, session, settingsId);
    }

    /// <summary>
    /// <c>selfservice.flows.recovery.after.hooks</c>, run once the recovery committed: <c>revoke_active_sessions</c>
    /// signs every other session of the identity out (whoever knew the old password is locked out). Other hook
    /// names are not implemented for recovery and are logged once.
    /// </summary>
    public async Task RunAfterHooksAsync(Recovered recovered, CancellationToken ct)
    {
        foreach (var hook in options.Recovery.After.Hooks)
        {
            if (hook.Hook == "revoke_active_sessions") await sessions.RevokeOthersAsync(recovered.Identity.Id, recovered.Session.Id, ct);
            else if (_warned.TryAdd(hook.Hook, true))
                log.LogWarning("Recovery hook {Hook} is configured but not implemented for recovery; it is skipped", hook.Hook);
        }
    }

    /// <summary>
    /// HTML browsers get the session cookie and a 303 to the settings UI; SPAs the cookie and Kratos' 422
    /// <c>browser_location_change_required</c> pointing there; native apps the flow with <c>continue_with</c>
    /// (session token and settings flow).
    /// </summary>
    public Task RespondAsync(HttpContext ctx, AddressFlow flow, ClientKind client, Recovered recovered)
    {
        var settingsUi = urls.SettingsUi(recovered.SettingsFlowId);
        if (client != ClientKind.Api) sessions.WriteCookie(ctx.Response, recovered.Session);
        if (client == ClientKind.BrowserHtml) return FlowResponder.RedirectAsync(ctx, settingsUi);
        if (client == ClientKind.BrowserJson)
        {
            var error = ApiException.UnprocessableEntity(
                $"To complete the recovery, send the browser to {settingsUi}.", "browser_location_change_required");
            var body = ErrorWriter.ToJson(error);
            body["redirect_browser_to"] = settingsUi;
            return FlowResponder.JsonAsync(ctx, body, 422);
        }
        return FlowResponder.JsonAsync(ctx, flow.ToJson());
    }
}
