using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// Turns the traits schema into form fields: leaves only, nested objects flattened with dots, in the order
/// the schema lists its properties (the order a registration form shows them).
/// </summary>
internal static class SchemaFields
{
    private const int MaxDepth = 16;

    public static List<TraitField> Build(JsonObject root)
    {
        var fields = new List<TraitField>();
        if (SchemaExtension.Deref(root, root["properties"]?["traits"]) is { } traits)
            Walk(root, traits, "traits", fields, 0);
        return fields;
    }

    private static void Walk(JsonObject root, JsonObject obj, string prefix, List<TraitField> fields, int depth)
    {
        if (depth > MaxDepth || obj["properties"] is not JsonObject props) return;
        var required = (obj["required"] as JsonArray)?.Select(JsonKit.AsString).OfType<string>().ToHashSet() ?? [];
        foreach (var (name, sub) in props)
        {
            var schema = SchemaExtension.Deref(root, sub);
            if (schema is null) continue;
            var fullName = prefix + "." + name;
            var type = JsonType(schema);
            if (type == "object" && schema["properties"] is JsonObject)
            {
                Walk(root, schema, fullName, fields, depth + 1);
                continue;
            }
            var format = JsonKit.AsString(schema["format"]);
            fields.Add(new TraitField(
                fullName, type, format, JsonKit.AsString(schema["title"]), required.Contains(name),
                JsonKit.TryInt(schema["minLength"], out var min) ? (int)Math.Min(min, int.MaxValue) : null,
                JsonKit.TryInt(schema["maxLength"], out var max) ? (int)Math.Min(max, int.MaxValue) : null,
                JsonKit.AsString(schema["pattern"]),
                schema["enum"]?.DeepClone(),
                Autocomplete(schema, format)));
        }
    }

    /// <summary>The declared type (first non-null of a list); without one, the type of const/enum values, else string.</summary>
    private static string JsonType(JsonObject schema)
    {
        switch (schema["type"])
        {
            case JsonArray list when list.Select(JsonKit.AsString).FirstOrDefault(t => t is not null and not "null") is { } t:
                return t;
            case JsonValue v when JsonKit.AsString(v) is { } t:
                return t;
        }
        if (schema.TryGetPropertyValue("const", out var c)) return Widen(JsonKit.TypeName(c));
        if (schema["enum"] is JsonArray { Count: > 0 } e) return Widen(JsonKit.TypeName(e[0]));
        return "string";
    }

    private static string Widen(string type) => type == "null" ? "string" : type;

    private static string? Autocomplete(JsonObject schema, string? format)
    {
        switch (format)
        {
            case "email": return "email";
            case "tel": return "tel";
            case "uri": return "url";
        }
        var creds = schema[SchemaExtension.Key]?["credentials"];
        var identifier = JsonKit.AsBool(creds?["password"]?["identifier"]) == true ||
                         JsonKit.AsBool(creds?["webauthn"]?["identifier"]) == true ||
                         JsonKit.AsBool(creds?["code"]?["identifier"]) == true;
        if (!identifier) return null;
        // A code identifier without a format is still an address: sms means a phone number.
        return JsonKit.AsString(creds?["code"]?["via"]) == "sms" ? "tel" : "username";
    }
}
