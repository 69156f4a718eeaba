using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Http;
using Warden.Identities;
using Warden.Methods.Password;
using Warden.Schemas;
using Warden.SelfService.Settings;
using Warden.Ui;

namespace Warden.Methods.Profile;

/// <summary>
/// <c>profile</c>: edit the identity's traits with a form generated from its schema. A change that touches
/// what the schema derives from traits (sign-in identifiers, verifiable or recovery addresses) is privileged:
/// it can take over the account, so it needs a recently authenticated session.
/// </summary>
internal sealed class ProfileSettings(IdentityService identities, WardenConfig config) : ISettingsMethod
{
    public string Id => "profile";

    public bool Enabled => config.Bool("selfservice.methods.profile.enabled", fallback: true);

    public void PopulateSettings(SettingsFlow flow, Identity identity, IdentitySchema schema) =>
        Render(flow, schema.Fields(), identity.Traits as JsonObject ?? new JsonObject());

    private static void Render(SettingsFlow flow, IReadOnlyList<TraitField> fields, JsonObject traits)
    {
        var nodes = new List<UiNode>();
        foreach (var f in fields)
        {
            var node = TraitForm.Node(f, TraitForm.ValueAt(traits, f.Name));
            node.Group = UiGroups.Profile;
            nodes.Add(node);
        }
        nodes.Add(SettingsForm.Submit(UiGroups.Profile, "profile"));
        SettingsForm.ReplaceGroup(flow.Ui, UiGroups.Profile, nodes);
    }

    public Task<SettingsChange?> PrepareAsync(SettingsFlow flow, Identity identity, IdentitySchema schema, JsonObject body, CancellationToken ct)
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
        var errors = schema.Validate(traits);
        foreach (var e in errors) flow.Ui.AddMessage(e.Path, new UiText(e.MessageId, e.Text, "error", e.Context));
        if (errors.Count > 0) return Task.FromResult<SettingsChange?>(null);
        var privileged = ProtectedFields.Changed(schema.Extract(identity.Traits), schema.Extract(traits));
        return Task.FromResult<SettingsChange?>(new SettingsChange(new JsonObject { ["traits"] = traits }, privileged));
    }

    public async Task<Identity?> ApplyAsync(SettingsFlow flow, Identity identity, IdentitySchema schema, JsonObject payload, CancellationToken ct)
    {
        if (payload["traits"] is not JsonObject traits) throw new InvalidOperationException("profile settings payload without traits");
        // Credentials are left out: the store keeps them and re-derives their identifiers from the new traits.
        // No addresses are passed either: unchanged ones keep their verification state, new ones start unverified.
        var target = new Identity
        {
            Id = identity.Id, SchemaId = identity.SchemaId, Traits = traits.DeepClone(), State = identity.State,
            MetadataPublic = identity.MetadataPublic?.DeepClone(), MetadataAdmin = identity.MetadataAdmin?.DeepClone(),
            ExternalId = identity.ExternalId, OrganizationId = identity.OrganizationId,
        };
        try
        {
            return await identities.UpdateAsync(target, ct);
        }
        catch (TraitValidationException e)
        {
            foreach (var err in e.Errors) flow.Ui.AddMessage(err.Path, new UiText(err.MessageId, err.Text, "error", err.Context));
        }
        catch (DuplicateIdentifierException)
        {
            flow.Ui.AddMessage(null, Messages.DuplicateCredentials());
        }
        return null;
    }
}
