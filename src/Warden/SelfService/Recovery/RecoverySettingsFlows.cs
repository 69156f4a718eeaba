using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Config;
using Warden.Http;
using Warden.Http.Csrf;
using Warden.Identities;
using Warden.Persistence;
using Warden.Ui;

namespace Warden.SelfService.Recovery;

/// <summary>
/// Creates the settings flow a recovered user lands in (to set a new password). The settings feature may
/// register its own implementation (with its full form); <see cref="BareRecoverySettingsFlows"/> is the fallback.
/// </summary>
public interface IRecoverySettingsFlows
{
    /// <summary>Creates the flow inside the recovery transaction and returns its id. <paramref name="message"/> (1060001) goes on its UI.</summary>
    Task<Guid> CreateAsync(HttpContext ctx, Identity identity, bool api, string? returnTo, UiText message,
        DbConnection c, DbTransaction tx, CancellationToken ct);
}

/// <summary>
/// Fallback: a settings row (kind <c>settings</c>, state <c>show_form</c>, owned by the identity) in the stored
/// document layout the settings flow reads, carrying the CSRF node and the recovery message. The settings
/// flow lays out its forms when it is rendered.
/// </summary>
public sealed class BareRecoverySettingsFlows(CsrfTokens csrf, BaseUrls urls, WardenConfig config) : IRecoverySettingsFlows
{
    private readonly TimeSpan _lifespan = config.Duration("selfservice.flows.settings.lifespan", TimeSpan.FromHours(1));

    public async Task<Guid> CreateAsync(HttpContext ctx, Identity identity, bool api, string? returnTo, UiText message,
        DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var id = RowIds.New();
        var ui = new UiContainer { Action = urls.PublicUrl($"self-service/settings?flow={id}") };
        ui.Nodes.Add(UiNode.Input(UiGroups.Default, "csrf_token", "hidden", required: true));
        ui.Messages.Add(message);
        var doc = new JsonObject
        {
            ["id"] = id,
            ["type"] = api ? "api" : "browser",
            ["state"] = "show_form",
            ["expires_at"] = now + _lifespan,
            ["issued_at"] = now,
            ["created_at"] = now,
            ["updated_at"] = now,
            ["request_url"] = urls.PublicUrl((ctx.Request.Path.Value ?? "/") + ctx.Request.QueryString.Value),
            ["return_to"] = returnTo,
            ["active"] = null,
            ["identity_id"] = identity.Id,
            ["ui"] = ui.ToJson(),
        };
        await c.ExecuteAsync(new SqlStatement(
            """
            INSERT INTO selfservice_flows (id, nid, kind, type, state, identity_id, session_id, csrf_token, data, expires_at, issued_at, created_at, updated_at)
            VALUES (@id, @nid, 'settings', @type, 'show_form', @identityId, NULL, @csrf, @data, @expiresAt, @now, @now, @now)
            """,
            new
            {
                id, nid = Database.DefaultNetworkId, type = api ? "api" : "browser", identityId = identity.Id,
                csrf = api ? "" : CsrfTokens.Fingerprint(csrf.Ensure(ctx)), data = doc.ToJsonString(WardenJson.Options),
                expiresAt = now + _lifespan, now,
            }, tx, cancellationToken: ct));
        return id;
    }
}
