using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Hashing;
using Warden.Identities;
using Warden.SelfService;
using Warden.SelfService.Flows;
using Warden.Sessions;
using Warden.Ui;

namespace Warden.Methods.Password;

/// <summary>Sign in with an identifier and a password.</summary>
internal sealed class PasswordLogin(IdentityService identities, PasswordHasher hasher, WardenConfig config) : ILoginMethod
{
    public string Id => "password";

    public bool Enabled => config.Section<PasswordMethodConfig>("selfservice.methods.password").Enabled;

    public void PopulateLogin(Flow flow, Identity? refreshIdentity)
    {
        var ui = flow.Ui;
        var known = refreshIdentity is not null && refreshIdentity.Credentials.TryGetValue("password", out var cred)
            ? cred.Identifiers.FirstOrDefault() : null;
        // Re-authentication keeps the identifier fixed: it is the session's, not the user's choice.
        ui.Upsert(known is not null
            ? UiNode.Input(UiGroups.Default, "identifier", "hidden", known)
            : UiNode.Input(UiGroups.Default, "identifier", "text", required: true, includeEmptyValue: true, label: Messages.LabelId()));
        ui.Upsert(UiNode.Input(UiGroups.Password, "password", "password", required: true, autocomplete: "current-password",
            label: Messages.LabelPassword()));
        ui.Upsert(UiNode.Input(UiGroups.Password, "method", "submit", "password",
            label: known is not null ? Messages.LoginSubmit() : Messages.LoginWithPassword()));
    }

    public IdentityLookup? Lookup(JsonObject body) =>
        Identifier(body) is { } identifier && identifier.Trim().Length > 0 && !string.IsNullOrEmpty(Text(body, "password"))
            ? IdentityService.LookupFor("password", identifier)
            : null;

    public async Task<LoginOutcome> LoginAsync(Flow flow, JsonObject body, IdentityPrefetch? prefetched, CancellationToken ct)
    {
        var identifier = Identifier(body) ?? "";
        var password = Text(body, "password") ?? "";
        if (flow.Ui.Find("identifier") is { } idNode && idNode.Attributes["type"]?.GetValue<string>() != "hidden")
            idNode.Value = identifier;
        var missing = false;
        if (identifier.Trim().Length == 0) { flow.Ui.AddMessage("identifier", Messages.Required("identifier")); missing = true; }
        if (password.Length == 0) { flow.Ui.AddMessage("password", Messages.Required("password")); missing = true; }
        if (missing) return LoginOutcome.Failed();

        var identity = await identities.FindAsync(IdentityService.LookupFor("password", identifier), prefetched, ct);
        Credential? cred = null;
        var hash = identity is not null && identity.Credentials.TryGetValue("password", out cred)
            ? cred.Config["hashed_password"]?.GetValue<string>() : null;
        if (identity is null || string.IsNullOrEmpty(hash))
        {
            // Same work as a real check so response time does not reveal whether the account exists.
            await hasher.DummyVerifyAsync(password, ct);
            return Invalid(flow);
        }
        if (!await hasher.VerifyAsync(password, hash, ct)) return Invalid(flow);
        // A refresh must re-authenticate the session's own identity.
        if (flow.Refresh && flow.IdentityId is { } expected && expected != identity.Id) return Invalid(flow);
        if (identity.State != "active")
        {
            flow.Ui.AddMessage(null, Messages.IdentityDisabled());
            return LoginOutcome.Failed();
        }

        var method = new AuthenticationMethod("password", "aal1", DateTime.UtcNow);
        if (!hasher.NeedsRehash(hash)) return LoginOutcome.Success(identity, method);
        string fresh;
        try { fresh = await hasher.HashAsync(password, ct); }
        catch (PasswordTooLongException) { return LoginOutcome.Success(identity, method); }
        var newConfig = (JsonObject)cred!.Config.DeepClone();
        newConfig["hashed_password"] = fresh;
        return LoginOutcome.Success(identity, method,
            (c, tx, token) => identities.UpdateCredentialConfigAsync(c, tx, identity.Id, "password", newConfig, token));
    }

    private static LoginOutcome Invalid(Flow flow)
    {
        flow.Ui.AddMessage(null, Messages.InvalidCredentials());
        return LoginOutcome.Failed();
    }

    private static string? Identifier(JsonObject body) => Text(body, "identifier") ?? Text(body, "password_identifier");

    private static string? Text(JsonObject body, string key) => FlowGate.Text(body, key);
}
