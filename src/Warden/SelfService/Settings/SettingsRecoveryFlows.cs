using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Warden.Identities;
using Warden.SelfService.Recovery;
using Warden.Ui;

namespace Warden.SelfService.Settings;

/// <summary>
/// The settings flow a completed recovery hands over to: the full form (profile and password), created in
/// the recovery's transaction so the user never lands on a flow that does not exist. The recovery session is
/// freshly authenticated, so the new password can be set right away.
/// </summary>
internal sealed class SettingsRecoveryFlows(SettingsFlows flows, SettingsFlowStore store) : IRecoverySettingsFlows
{
    public async Task<Guid> CreateAsync(HttpContext ctx, Identity identity, bool api, string? returnTo, UiText message,
        DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var flow = await flows.BuildAsync(ctx, identity, api, returnTo, null, message);
        await store.InsertAsync(c, tx, flow, ct);
        return flow.Id;
    }
}
