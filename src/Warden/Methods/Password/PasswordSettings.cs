using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Hashing;
using Warden.Identities;
using Warden.Schemas;
using Warden.SelfService;
using Warden.SelfService.Flows;
using Warden.SelfService.Settings;
using Warden.Ui;

namespace Warden.Methods.Password;

/// <summary>
/// <c>password</c> in a settings flow: set a new password under the same policy as registration. The
/// password is hashed while the submission is judged, so a change waiting for re-authentication is stored
/// as a hash only; applying it just swaps the hash in.
/// </summary>
internal sealed class PasswordSettings(IdentityService identities, PasswordHasher hasher, PasswordPolicy policy,
    WardenConfig config) : ISettingsMethod
{
    public string Id => "password";

    public bool Enabled => config.Section<PasswordMethodConfig>("selfservice.methods.password").Enabled;

    public void PopulateSettings(SettingsFlow flow, Identity identity, IdentitySchema schema) =>
        SettingsForm.ReplaceGroup(flow.Ui, UiGroups.Password,
        [
            UiNode.Input(UiGroups.Password, "password", "password", required: true, autocomplete: "new-password",
                label: Messages.LabelPassword()),
            SettingsForm.Submit(UiGroups.Password, "password"),
        ]);

    public async Task<SettingsChange?> PrepareAsync(SettingsFlow flow, Identity identity, IdentitySchema schema, JsonObject body,
        CancellationToken ct)
    {
        PopulateSettings(flow, identity, schema);
        var password = FlowGate.Text(body, "password") ?? "";
        if (password.Length == 0)
        {
            flow.Ui.AddMessage("password", Messages.Required("password"));
            return null;
        }
        // The similarity check compares with what the user signs in with; without a password credential
        // yet (e.g. an account created by an admin), with what the schema would make the identifiers.
        var identifiers = identity.Credentials.TryGetValue("password", out var cred) && cred.Identifiers.Count > 0
            ? cred.Identifiers
            : schema.Extract(identity.Traits).For("password");
        if (await policy.ValidateAsync(password, identifiers, ct) is { } rejection)
        {
            flow.Ui.AddMessage("password", rejection);
            return null;
        }
        string hash;
        try { hash = await hasher.HashAsync(password, ct); }
        catch (PasswordTooLongException)
        {
            flow.Ui.AddMessage("password", Messages.PasswordMaxLength(72, System.Text.Encoding.UTF8.GetByteCount(password)));
            return null;
        }
        return new SettingsChange(new JsonObject { ["hashed_password"] = hash }, Privileged: true);
    }

    public async Task<Identity?> ApplyAsync(SettingsFlow flow, Identity identity, IdentitySchema schema, JsonObject payload,
        CancellationToken ct)
    {
        var hash = payload["hashed_password"]?.GetValue<string>()
            ?? throw new InvalidOperationException("password settings payload without a hash");
        // Only the password credential is named: every other credential, the traits and addresses stay as stored.
        var target = new Identity
        {
            Id = identity.Id, SchemaId = identity.SchemaId, Traits = identity.Traits.DeepClone(), State = identity.State,
            MetadataPublic = identity.MetadataPublic?.DeepClone(), MetadataAdmin = identity.MetadataAdmin?.DeepClone(),
            ExternalId = identity.ExternalId, OrganizationId = identity.OrganizationId,
            Credentials = { ["password"] = new Credential { Type = "password", Config = new JsonObject { ["hashed_password"] = hash } } },
        };
        try
        {
            return await identities.UpdateAsync(target, ct);
        }
        catch (TraitValidationException e)
        {
            // The stored traits no longer satisfy the schema (it changed since): the user has to fix the profile first.
            foreach (var err in e.Errors) flow.Ui.AddMessage(null, new UiText(err.MessageId, err.Text, "error", err.Context));
        }
        catch (DuplicateIdentifierException)
        {
            flow.Ui.AddMessage(null, Messages.DuplicateCredentials());
        }
        return null;
    }
}
