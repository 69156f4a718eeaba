using System.Globalization;
using System.Text.Json.Nodes;
using Warden.Schemas;
using Warden.Ui;

namespace Warden.Methods.Password;

/// <summary>
/// Traits as form fields: nodes generated from the schema, and submitted values coerced back to the
/// schema's types (forms only carry strings; Kratos compat: JSON bodies in form format may too).
/// </summary>
internal static class TraitForm
{
    public static UiNode Node(TraitField f, JsonNode? value)
    {
        var node = UiNode.Input(UiGroups.Default, f.Name, InputType(f), value, f.Required, f.Autocomplete,
            f.Title is { Length: > 0 } t ? Messages.LabelGenerated(t, f.Name) : null);
        return node;
    }

    public static string InputType(TraitField f) => f.JsonType switch
    {
        "boolean" => "checkbox",
        "number" or "integer" => "number",
        _ => f.Format switch
        {
            "email" => "email",
            "tel" => "tel",
            "date" => "date",
            "date-time" => "datetime-local",
            "uri" or "url" => "url",
            _ => "text",
        },
    };

    /// <summary>Converts string values of boolean/number fields in place; unparsable values stay for the validator to reject.</summary>
    public static void Coerce(JsonObject traits, IReadOnlyList<TraitField> fields)
    {
        foreach (var f in fields)
        {
            var path = f.Name.StartsWith("traits.") ? f.Name["traits.".Length..].Split('.') : f.Name.Split('.');
            var parent = traits;
            for (var i = 0; i < path.Length - 1 && parent is not null; i++) parent = parent[path[i]] as JsonObject;
            if (parent is null || parent[path[^1]] is not JsonValue v || !v.TryGetValue<string>(out var s)) continue;
            JsonNode? converted = f.JsonType switch
            {
                "boolean" => s.ToLowerInvariant() switch
                {
                    "true" or "on" or "1" => JsonValue.Create(true),
                    "false" or "off" or "0" or "" => JsonValue.Create(false),
                    _ => null,
                },
                "integer" when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
                "number" when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
                _ => null,
            };
            if (converted is not null) parent[path[^1]] = converted;
            // An empty optional number field means "not given", as a browser form cannot send null.
            else if (s.Length == 0 && f.JsonType is "integer" or "number" && !f.Required) parent.Remove(path[^1]);
        }
    }

    public static JsonNode? ValueAt(JsonObject traits, string name)
    {
        JsonNode? cur = traits;
        foreach (var part in (name.StartsWith("traits.") ? name["traits.".Length..] : name).Split('.'))
            cur = cur is JsonObject o ? o[part] : null;
        return cur;
    }
}
