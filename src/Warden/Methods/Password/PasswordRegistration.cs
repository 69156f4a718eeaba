using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Hashing;
using Warden.Http;
using Warden.Identities;
using Warden.Persistence;
using Warden.Schemas;
using Warden.SelfService;
using Warden.SelfService.Flows;
using Warden.Sessions;
using Warden.Ui;

namespace Warden.Methods.Password;

/// <summary>Sign up with traits from the identity schema and a password.</summary>
internal sealed class PasswordRegistration(IdentityService identities, PasswordHasher hasher, PasswordPolicy policy,
    WardenConfig config) : IRegistrationMethod
{
    public string Id => "password";

    public bool Enabled => config.Section<PasswordMethodConfig>("selfservice.methods.password").Enabled;

    /// <summary>
    /// Kratos compat: traits in schema order, the password right after the first trait (usually the
    /// identifier), the submit button last.
    /// </summary>
    public void PopulateRegistration(Flow flow, IdentitySchema schema) => Render(flow, schema.Fields(), new JsonObject());

    private static void Render(Flow flow, IReadOnlyList<TraitField> fields, JsonObject traits)
    {
        var ui = flow.Ui;
        var kept = ui.Nodes.Where(n => !n.Name.StartsWith("traits.") && n.Group != UiGroups.Password).ToList();
        var messages = ui.Nodes.GroupBy(n => (n.Name, n.Group)).ToDictionary(g => g.Key, g => g.First().Messages.ToList());
        ui.Nodes.Clear();
        ui.Nodes.AddRange(kept);
        var password = UiNode.Input(UiGroups.Password, "password", "password", required: true, autocomplete: "new-password",
            label: Messages.LabelPassword());
        var placed = false;
        foreach (var f in fields)
        {
            ui.Nodes.Add(TraitForm.Node(f, TraitForm.ValueAt(traits, f.Name)));
            if (!placed) { ui.Nodes.Add(password); placed = true; }
        }
        if (!placed) ui.Nodes.Add(password);
        ui.Nodes.Add(UiNode.Input(UiGroups.Password, "method", "submit", "password", label: Messages.RegistrationSubmit()));
        foreach (var n in ui.Nodes)
            if (messages.TryGetValue((n.Name, n.Group), out var ms) && n.Messages.Count == 0) n.Messages.AddRange(ms);
    }

    public async Task<RegistrationOutcome> RegisterAsync(Flow flow, IdentitySchema schema, JsonObject body, Func<SqlBatch, SqlBatch> completeFlow,
        CancellationToken ct)
    {
        var traits = body["traits"] switch
        {
            null => new JsonObject(),
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw ApiException.BadRequest("The field 'traits' must be an object."),
        };
        var fields = schema.Fields();
        TraitForm.Coerce(traits, fields);
        Render(flow, fields, traits);
        var password = FlowGate.Text(body, "password") ?? "";

        var failed = false;
        foreach (var e in schema.Validate(traits))
        {
            flow.Ui.AddMessage(e.Path, new UiText(e.MessageId, e.Text, "error", e.Context));
            failed = true;
        }
        if (password.Length == 0)
        {
            flow.Ui.AddMessage("password", Messages.Required("password"));
            failed = true;
        }
        else if (!failed)
        {
            var identifiers = schema.Extract(traits).Identifiers.TryGetValue("password", out var ids) ? ids : [];
            if (await policy.ValidateAsync(password, identifiers, ct) is { } rejection)
            {
                flow.Ui.AddMessage("password", rejection);
                failed = true;
            }
        }
        if (failed) return RegistrationOutcome.Failed();

        string hash;
        try { hash = await hasher.HashAsync(password, ct); }
        catch (PasswordTooLongException)
        {
            flow.Ui.AddMessage("password", Messages.PasswordMaxLength(72, System.Text.Encoding.UTF8.GetByteCount(password)));
            return RegistrationOutcome.Failed();
        }
        var identity = new Identity
        {
            SchemaId = schema.Id,
            Traits = traits,
            Credentials =
            {
                ["password"] = new Credential { Type = "password", Config = new JsonObject { ["hashed_password"] = hash } },
            },
        };
        try
        {
            identity = await identities.CreateAsync(identity, completeFlow, ct);
        }
        catch (TraitValidationException e)
        {
            foreach (var err in e.Errors) flow.Ui.AddMessage(err.Path, new UiText(err.MessageId, err.Text, "error", err.Context));
            return RegistrationOutcome.Failed();
        }
        catch (DuplicateIdentifierException)
        {
            flow.Ui.AddMessage(null, Messages.DuplicateCredentials());
            return RegistrationOutcome.Failed();
        }
        return RegistrationOutcome.Success(identity, new AuthenticationMethod("password", "aal1", DateTime.UtcNow));
    }
}
