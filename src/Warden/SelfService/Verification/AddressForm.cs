using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http.Flows;
using Warden.Methods;
using Warden.Ui;

namespace Warden.SelfService.Verification;

/// <summary>What a recovery or verification submission asks for.</summary>
internal abstract record AddressStep
{
    /// <summary>The form is incomplete or names a method the flow does not offer; the messages are on the flow.</summary>
    public sealed record Invalid : AddressStep;

    /// <summary>Mail a code or link to this address.</summary>
    public sealed record Send(IAddressFlowMethod Method, string Email) : AddressStep;

    /// <summary>Check this code or token.</summary>
    public sealed record Redeem(IAddressFlowMethod Method, string Secret) : AddressStep;
}

/// <summary>
/// Reads a recovery or verification form the same way for both flows. Each flow keeps its own checks around
/// it (recovery refuses signed-in users; an admin-issued recovery code never re-sends).
/// </summary>
internal static class AddressForm
{
    /// <summary>A GET without a secret: the browser only opened the flow's URL, so the flow is shown.</summary>
    public static bool IsView(HttpContext ctx, JsonObject body) =>
        HttpMethods.IsGet(ctx.Request.Method) && AddressFlowHttp.Text(body, "code") is null && AddressFlowHttp.Text(body, "token") is null;

    /// <summary>
    /// Decides the step and marks the method active. Clears the flow's earlier messages and adds the ones that
    /// explain an <see cref="AddressStep.Invalid"/> form. <paramref name="maySend"/> false ignores an address.
    /// </summary>
    public static AddressStep Read(JsonObject body, AddressFlow flow, IAddressFlowMethod? offered, AddressFlowKind kind, bool maySend)
    {
        var code = AddressFlowHttp.Text(body, "code");
        var token = AddressFlowHttp.Text(body, "token");
        var email = AddressFlowHttp.Text(body, "email");
        // Kratos compat: the mailed link carries no method; the secret's parameter names it.
        var methodId = AddressFlowHttp.Text(body, "method") ?? (token is not null ? "link" : code is not null ? "code" : null);
        flow.Ui.ResetMessages();
        if (methodId is null || offered is null || offered.Id != methodId)
        {
            flow.Ui.Messages.Add(Messages.MethodNotAvailable(kind, methodId ?? "(none)"));
            return new AddressStep.Invalid();
        }
        flow.Active = offered.Id;
        if (maySend && !string.IsNullOrWhiteSpace(email)) return new AddressStep.Send(offered, email);
        var secret = offered.Id == "code" ? code : token;
        if (!string.IsNullOrEmpty(secret)) return new AddressStep.Redeem(offered, secret);
        var field = offered.Id == "code" && flow.State == AddressFlow.States.SentEmail ? "code" : "email";
        flow.Ui.AddMessage(field, Messages.Required(field));
        return new AddressStep.Invalid();
    }

    /// <summary>Carries out a step the same way for both flows; only what a redeemed secret does differs.</summary>
    public static Task ApplyAsync(AddressStep step, HttpContext ctx, AddressFlow flow, ClientKind client, AddressFlowHttp http,
        AddressChallenges challenges, Func<IAddressFlowMethod, string, Task> redeem) => step switch
    {
        AddressStep.Send send => SendAsync(ctx, flow, client, http, challenges, send),
        AddressStep.Redeem r => redeem(r.Method, r.Secret),
        _ => http.FailAsync(ctx, flow, client),
    };

    /// <summary>Says why a code or token was refused: wrong, or too many wrong attempts on this flow.</summary>
    public static void Refused(AddressFlow flow, AddressFlowKind kind, RedeemStatus status, string methodId) =>
        flow.Ui.Messages.Add(status == RedeemStatus.TooManyAttempts
            ? Messages.TooManyAttempts(kind)
            : methodId == "code" ? Messages.CodeInvalid(kind) : Messages.TokenInvalid(kind));

    private static async Task SendAsync(HttpContext ctx, AddressFlow flow, ClientKind client, AddressFlowHttp http, AddressChallenges challenges,
        AddressStep.Send send)
    {
        await challenges.SendAsync(flow, send.Method, send.Email, ctx.RequestAborted);
        await http.FlowAsync(ctx, flow, client);
    }
}
