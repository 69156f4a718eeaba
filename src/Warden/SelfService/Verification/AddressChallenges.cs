using System.Data.Common;
using System.Text.Json.Nodes;
using Warden.Courier;
using Warden.Identities;
using Warden.Methods;
using Warden.Methods.Code;
using Warden.Ui;

namespace Warden.SelfService.Verification;

/// <summary>How redeeming a mailed secret went.</summary>
public enum RedeemStatus { Redeemed, Invalid, TooManyAttempts }

public sealed record RedeemResult<T>(RedeemStatus Status, T? Value = default);

/// <summary>
/// Sends and redeems the secrets of verification and recovery flows. Sending looks like success whether
/// or not the address belongs to an account (no enumeration); the secret row and its mail are written in
/// one transaction, so a mail is queued exactly when its code exists.
/// </summary>
public sealed class AddressChallenges(AddressFlowStore flows, OneTimeCodeStore codes, OneTimeSecrets secrets, Outbox outbox,
    AddressLookup lookup, AddressFlowUrls urls, AddressFlowOptions options, IdentityService identities, IdentityJson identityJson)
{
    /// <summary>
    /// Sends (or re-sends, invalidating earlier secrets) the flow's code or link to <paramref name="submitted"/>
    /// and moves the flow to <c>sent_email</c> with the "sent" message. The flow is stored.
    /// </summary>
    public async Task SendAsync(AddressFlow flow, IAddressFlowMethod method, string submitted, CancellationToken ct)
    {
        var display = submitted.Trim();
        var owned = await lookup.FindAsync(flow.Kind, display, ct);
        var identity = owned is null ? null : await identities.GetAsync(owned.IdentityId, includeCredentials: false, ct);
        flow.Active = method.Id;
        flow.State = AddressFlow.States.SentEmail;
        flow.SentTo = owned?.Value ?? display;
        method.PopulateSent(flow, display);
        flow.Ui.Messages.Clear();
        flow.Ui.Messages.Add(Messages.Sent(flow.Kind, method.Id));
        // The secret and its hash exist before the transaction opens: deriving keys may touch the database.
        var secret = identity is null ? null : method.NewSecret();
        var hash = secret is null ? null : await HashAsync(flow, method, secret, ct);
        await flows.Database.InTransactionAsync(async (c, tx) =>
        {
            await codes.InvalidateFlowAsync(flow.Id, c, tx, ct);
            if (owned is not null && identity is not null && secret is not null)
            {
                await StoreSecretAsync(flow, method, hash!, identity.Id, owned.Via, owned.Value, c, tx, ct);
                var model = Model(flow, method, secret, owned.Value);
                model["Identity"] = identityJson.ToJson(identity);
                await EnqueueAsync(owned.Via, owned.Value, method.Template(flow.Kind, valid: true), model, c, tx, ct);
                if (flow.Kind == AddressFlowKind.Verification) await AddressLookup.MarkSentAsync(flows.Database.Changes, c, tx, owned, ct);
            }
            else if (options.For(flow.Kind).NotifyUnknownRecipients && display.Contains('@'))
            {
                var model = new JsonObject { ["To"] = display, ["RequestURL"] = flow.RequestUrl, ["TransientPayload"] = Payload(flow) };
                await EnqueueAsync("email", display, method.Template(flow.Kind, valid: false), model, c, tx, ct);
            }
            await flows.UpdateAsync(flow, c, tx, ct);
        }, ct);
    }

    /// <summary>The keyed hash to store for a secret of this flow and method.</summary>
    public async Task<string> HashAsync(AddressFlow flow, IAddressFlowMethod method, string secret, CancellationToken ct) =>
        (await secrets.HashesAsync(method.SecretKind(flow.Kind), flow.Id, secret, ct))[0];

    /// <summary>Stores a secret's hash for the flow; it expires with the flow or after the method's lifespan, whichever is first.</summary>
    public Task StoreSecretAsync(AddressFlow flow, IAddressFlowMethod method, string hash, Guid identityId, string? via,
        string? address, DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var byMethod = DateTime.UtcNow + method.Lifespan;
        var expires = byMethod < flow.ExpiresAt ? byMethod : flow.ExpiresAt;
        return codes.InsertAsync(method.SecretKind(flow.Kind), flow.Id, identityId, via, address, hash, expires, c, tx, ct);
    }

    /// <summary>
    /// Redeems a submitted secret. Codes count towards the flow's limit first (atomically), so the limit holds
    /// under concurrent guessing; then one conditional UPDATE decides whether this submission gets the code.
    /// <paramref name="complete"/> runs in the same transaction (mark verified, issue the session, …): if it
    /// throws, the code stays unused.
    /// </summary>
    public async Task<RedeemResult<T>> RedeemAsync<T>(AddressFlow flow, IAddressFlowMethod method, string secret,
        Func<ConsumedCode, DbConnection, DbTransaction, Task<T>> complete, CancellationToken ct)
    {
        if (method.CountsSubmissions && await flows.CountSubmissionAsync(flow.Id, ct) > options.MaxSubmissions)
            return new RedeemResult<T>(RedeemStatus.TooManyAttempts);
        if (!method.LooksValid(secret)) return new RedeemResult<T>(RedeemStatus.Invalid);
        var hashes = await secrets.HashesAsync(method.SecretKind(flow.Kind), flow.Id, secret, ct);
        return await flows.Database.InTransactionAsync(async (c, tx) =>
        {
            var consumed = await codes.ConsumeAsync(method.SecretKind(flow.Kind), flow.Id, hashes, c, tx, ct);
            if (consumed is null) return new RedeemResult<T>(RedeemStatus.Invalid);
            return new RedeemResult<T>(RedeemStatus.Redeemed, await complete(consumed, c, tx));
        }, ct);
    }

    private JsonObject Model(AddressFlow flow, IAddressFlowMethod method, string secret, string to)
    {
        var minutes = (long)Math.Ceiling(Math.Min(method.Lifespan.TotalMinutes, (flow.ExpiresAt - DateTime.UtcNow).TotalMinutes));
        var model = new JsonObject { ["To"] = to, ["RequestURL"] = flow.RequestUrl, ["TransientPayload"] = Payload(flow), ["ExpiresInMinutes"] = minutes };
        var isCode = method.Id == "code";
        var link = urls.SecretLink(flow.Kind, flow.Id, isCode ? "code" : "token", secret);
        if (flow.Kind == AddressFlowKind.Verification)
        {
            if (isCode) model["VerificationCode"] = secret;
            model["VerificationURL"] = link;
        }
        else if (isCode) model["RecoveryCode"] = secret;
        else model["RecoveryURL"] = link;
        return model;
    }

    private static JsonObject Payload(AddressFlow flow) => (JsonObject?)flow.TransientPayload?.DeepClone() ?? new JsonObject();

    private Task<Guid> EnqueueAsync(string via, string to, string template, JsonObject model, DbConnection c, DbTransaction tx, CancellationToken ct) =>
        via == "sms"
            ? outbox.EnqueueSmsAsync(to, template, model, c, tx, ct)
            : outbox.EnqueueEmailAsync(to, template, model, c, tx, ct);
}
