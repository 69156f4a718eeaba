using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// The identity meta-schema rules, applied when a schema is loaded: a draft-07 shaped document whose
/// <c>properties.traits</c> is an object schema with at least one property, and whose
/// <c>ory.sh/kratos</c> extensions use only the keys and values Kratos defines. Returns every problem
/// found (with a JSON pointer), so one startup error lists them all.
/// </summary>
internal static class SchemaMetaCheck
{
    private static readonly string[] VerificationFormats = ["email", "tel", "date", "time", "date-time", "no-validate"];
    private static readonly string[] Vias = ["email", "sms"];

    /// <param name="location">Where the document was loaded from; the base for relative http(s) references.</param>
    public static List<string> Check(JsonObject document, string? location = null)
    {
        var problems = new List<string>();
        SchemaShape.Check(document, "#", problems);
        var baseUrl = SchemaRefs.BaseOf(document, location);
        foreach (var reference in SchemaRefs.All(document).Distinct())
        {
            if (SchemaRefs.IsLocal(document, reference))
            {
                if (SchemaRefs.Resolve(document, reference) is null)
                    problems.Add($"$ref '{reference}' does not point at anything in this schema");
            }
            // http(s) references are fetched on first use (Kratos loads them lazily too), so an outage there
            // does not stop startup; anything else could never be loaded and is a mistake in the schema.
            else if (SchemaRefs.RemoteTarget(reference, baseUrl) is null)
                problems.Add($"$ref '{reference}' is neither a reference into this schema (such as '#/definitions/x') nor an http(s) URL");
        }

        if (document["properties"] is not JsonObject properties)
        {
            problems.Add("#/properties: must be an object that defines 'traits'");
            return problems;
        }
        if (properties["traits"] is not JsonObject traits)
        {
            problems.Add("#/properties/traits: must be present and be an object schema");
            return problems;
        }
        if (traits.TryGetPropertyValue("type", out var type) && JsonKit.AsString(type) != "object")
            problems.Add("#/properties/traits/type: must be \"object\"");
        if (traits["properties"] is not JsonObject traitProps || traitProps.Count == 0)
        {
            problems.Add("#/properties/traits/properties: must be an object with at least one trait");
            return problems;
        }
        foreach (var (name, trait) in traitProps)
        {
            var where = $"#/properties/traits/properties/{Escape(name)}";
            if (trait is not JsonObject traitSchema)
            {
                problems.Add($"{where}: must be an object schema");
                continue;
            }
            CheckExtensions(traitSchema, where, problems);
        }
        return problems;
    }

    /// <summary>Every <c>ory.sh/kratos</c> below a trait, however deep (nested objects, array items).</summary>
    private static void CheckExtensions(JsonNode? node, string where, List<string> problems)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.TryGetPropertyValue(SchemaExtension.Key, out var ext)) CheckExtension(obj, ext, where, problems);
                foreach (var (key, child) in obj)
                    if (key != SchemaExtension.Key) CheckExtensions(child, $"{where}/{Escape(key)}", problems);
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++) CheckExtensions(arr[i], $"{where}/{i}", problems);
                break;
        }
    }

    private static void CheckExtension(JsonObject owner, JsonNode? ext, string where, List<string> problems)
    {
        where += "/ory.sh~1kratos";
        if (!Keys(ext, where, problems, "credentials", "verification", "recovery", "organizations")) return;
        var e = (JsonObject)ext!;
        if (e.TryGetPropertyValue("credentials", out var creds) &&
            Keys(creds, where + "/credentials", problems, "password", "webauthn", "passkey", "totp", "code"))
        {
            var c = (JsonObject)creds!;
            foreach (var (type, flag) in new[] { ("password", "identifier"), ("webauthn", "identifier"), ("passkey", "display_name"), ("totp", "account_name") })
                if (c.TryGetPropertyValue(type, out var cfg) && Keys(cfg, $"{where}/credentials/{type}", problems, flag))
                    Bool(cfg![flag], cfg.AsObject().ContainsKey(flag), $"{where}/credentials/{type}/{flag}", problems);
            if (c.TryGetPropertyValue("code", out var code) && Keys(code, where + "/credentials/code", problems, "identifier", "via"))
            {
                Bool(code!["identifier"], code.AsObject().ContainsKey("identifier"), where + "/credentials/code/identifier", problems);
                Via(code.AsObject(), where + "/credentials/code", problems);
            }
        }
        foreach (var section in new[] { "verification", "recovery" })
            if (e.TryGetPropertyValue(section, out var s) && Keys(s, $"{where}/{section}", problems, "via"))
                Via(s!.AsObject(), $"{where}/{section}", problems);
        if (e.TryGetPropertyValue("organizations", out var org) && Keys(org, where + "/organizations", problems, "matcher") &&
            org!.AsObject().TryGetPropertyValue("matcher", out var matcher) && JsonKit.AsString(matcher) != "email_domain")
            problems.Add($"{where}/organizations/matcher: must be \"email_domain\"");

        // Addresses to verify must have a shape a code or link can be sent to.
        if (e.ContainsKey("verification") && JsonKit.AsString(owner["format"]) is { } format && !VerificationFormats.Contains(format))
            problems.Add($"{where}: a verifiable trait cannot have format \"{format}\" (allowed: {string.Join(", ", VerificationFormats)})");
    }

    private static bool Keys(JsonNode? node, string where, List<string> problems, params string[] allowed)
    {
        if (node is not JsonObject obj)
        {
            problems.Add($"{where}: must be an object");
            return false;
        }
        foreach (var key in obj.Select(p => p.Key).Where(k => !allowed.Contains(k)))
            problems.Add($"{where}: unknown key '{key}' (allowed: {string.Join(", ", allowed)})");
        return true;
    }

    private static void Bool(JsonNode? value, bool present, string where, List<string> problems)
    {
        if (present && JsonKit.AsBool(value) is null) problems.Add($"{where}: must be true or false");
    }

    private static void Via(JsonObject section, string where, List<string> problems)
    {
        if (section.TryGetPropertyValue("via", out var via) && !Vias.Contains(JsonKit.AsString(via)))
            problems.Add($"{where}/via: must be \"email\" or \"sms\"");
    }

    internal static string Escape(string token) => token.Replace("~", "~0").Replace("/", "~1");
}
