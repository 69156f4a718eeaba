using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// Reads the <c>ory.sh/kratos</c> extension against concrete traits: which values are credential
/// identifiers, which are addresses to verify or recover. The extension may sit on a trait, on a nested
/// property, on an array of strings, or on the array's <c>items</c>.
/// </summary>
internal static class SchemaExtension
{
    public const string Key = "ory.sh/kratos";
    private const int MaxDepth = 32;

    public static SchemaExtraction Extract(JsonObject root, JsonNode? traits)
    {
        var acc = new Accumulator();
        Walk(root, root["properties"]?["traits"], traits, acc, 0);
        return acc.Build();
    }

    /// <summary>Follows <c>$ref</c> chains (bounded, cycles end as null).</summary>
    internal static JsonObject? Deref(JsonObject root, JsonNode? schema)
    {
        for (var i = 0; i < 16 && schema is JsonObject s && JsonKit.AsString(s["$ref"]) is { } r; i++)
            schema = SchemaRefs.Resolve(root, r);
        return schema is JsonObject o && !o.ContainsKey("$ref") ? o : null;
    }

    private static void Walk(JsonObject root, JsonNode? schemaNode, JsonNode? value, Accumulator acc, int depth)
    {
        if (depth > MaxDepth || Deref(root, schemaNode) is not { } schema) return;
        var items = Deref(root, schema["items"]);
        if (schema[Key] is JsonObject ext)
        {
            var format = JsonKit.AsString(schema["format"]) ?? JsonKit.AsString(items?["format"]);
            if (JsonKit.AsString(value) is { } single) Apply(ext, format, single, acc);
            else if (value is JsonArray many)
                foreach (var s in many.Select(JsonKit.AsString).OfType<string>()) Apply(ext, format, s, acc);
        }
        if (value is JsonObject obj && schema["properties"] is JsonObject props)
        {
            foreach (var (name, sub) in props)
                if (obj.TryGetPropertyValue(name, out var child)) Walk(root, sub, child, acc, depth + 1);
        }
        else if (value is JsonArray arr && items is not null)
        {
            foreach (var item in arr) Walk(root, items, item, acc, depth + 1);
        }
    }

    private static void Apply(JsonObject ext, string? format, string raw, Accumulator acc)
    {
        var creds = ext["credentials"] as JsonObject;
        var phone = format == "tel";
        if (Flag(creds, "password", "identifier")) acc.Identifier("password", TraitNormalization.Identifier(raw, phone));
        if (Flag(creds, "webauthn", "identifier")) acc.Identifier("webauthn", TraitNormalization.Identifier(raw, phone));
        if (Flag(creds, "code", "identifier"))
        {
            // Without an explicit channel, a phone-formatted trait gets texts and anything else e-mail.
            var via = JsonKit.AsString(creds!["code"]?["via"]) ?? (phone ? "sms" : "email");
            var value = TraitNormalization.Identifier(raw, via == "sms" || phone);
            acc.Identifier("code", value);
            acc.Code(new AddressRef(via, value));
        }
        // Display names keep their case: they are shown, not matched.
        if (Flag(creds, "totp", "account_name")) acc.Identifier("totp", TraitNormalization.Basic(raw));
        if (Flag(creds, "passkey", "display_name")) acc.Identifier("passkey", TraitNormalization.Basic(raw));
        if (JsonKit.AsString(ext["verification"]?["via"]) is { } vv) acc.Verifiable(new AddressRef(vv, TraitNormalization.Address(vv, raw)));
        if (JsonKit.AsString(ext["recovery"]?["via"]) is { } rv) acc.Recovery(new AddressRef(rv, TraitNormalization.Address(rv, raw)));
    }

    private static bool Flag(JsonObject? creds, string type, string flag) => JsonKit.AsBool(creds?[type]?[flag]) == true;

    private sealed class Accumulator
    {
        private readonly Dictionary<string, SortedSet<string>> _ids = new(StringComparer.Ordinal);
        private readonly List<AddressRef> _verifiable = [];
        private readonly List<AddressRef> _recovery = [];
        private readonly List<AddressRef> _code = [];

        public void Identifier(string type, string value)
        {
            if (value.Length == 0) return;
            if (!_ids.TryGetValue(type, out var set)) _ids[type] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(value);
        }

        public void Verifiable(AddressRef a) => AddUnique(_verifiable, a);
        public void Recovery(AddressRef a) => AddUnique(_recovery, a);
        public void Code(AddressRef a) => AddUnique(_code, a);

        // Addresses keep trait order (the order a user sees them); records compare by value.
        private static void AddUnique(List<AddressRef> list, AddressRef a)
        {
            if (a.Value.Length > 0 && !list.Contains(a)) list.Add(a);
        }

        public SchemaExtraction Build() => new(
            _ids.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.ToList(), StringComparer.Ordinal),
            _verifiable, _recovery) { CodeAddresses = _code };
    }
}
