using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// The draft-07 meta-schema's constraints on keyword values (what <c>$ref: draft-07#</c> in the identity
/// meta-schema demands): a typo such as <c>"minLength": "3"</c> or an uncompilable pattern is a startup
/// error instead of a silently ignored rule.
/// </summary>
internal static class SchemaShape
{
    private static readonly string[] Types = ["null", "boolean", "object", "array", "number", "string", "integer"];
    private static readonly string[] Counts = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
    private static readonly string[] Single = ["additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else"];
    private static readonly string[] Maps = ["properties", "patternProperties", "definitions"];
    private static readonly string[] Lists = ["allOf", "anyOf", "oneOf"];
    private const int MaxDepth = 64;

    public static void Check(JsonNode? schema, string where, List<string> problems, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            problems.Add($"{where}: nested deeper than {MaxDepth} levels");
            return;
        }
        if (JsonKit.AsBool(schema) is not null) return;
        if (schema is not JsonObject s)
        {
            problems.Add($"{where}: a schema must be an object or a boolean");
            return;
        }
        foreach (var (key, value) in s)
        {
            var at = $"{where}/{SchemaMetaCheck.Escape(key)}";
            switch (key)
            {
                case "type":
                    var names = value is JsonArray arr ? arr.Select(JsonKit.AsString).ToList() : [JsonKit.AsString(value)];
                    if (names.Count == 0 || names.Any(n => n is null || !Types.Contains(n)))
                        problems.Add($"{at}: must be one of {string.Join(", ", Types)} or a list of them");
                    break;
                case var _ when Counts.Contains(key):
                    if (!JsonKit.TryInt(value, out var count) || count < 0) problems.Add($"{at}: must be a non-negative integer");
                    break;
                case "minimum" or "maximum":
                    if (!JsonKit.TryNumber(value, out _)) problems.Add($"{at}: must be a number");
                    break;
                case "exclusiveMinimum" or "exclusiveMaximum":
                    if (!JsonKit.TryNumber(value, out _) && JsonKit.AsBool(value) is null) problems.Add($"{at}: must be a number");
                    break;
                case "multipleOf":
                    if (!JsonKit.TryNumber(value, out var m) || m <= 0) problems.Add($"{at}: must be a number greater than 0");
                    break;
                case "pattern":
                    if (JsonKit.AsString(value) is not { } p || !SchemaRegex.TryCompile(p, out _)) problems.Add($"{at}: must be a valid regular expression");
                    break;
                case "format" or "title" or "description" or "$ref" or "$id" or "$schema" or "$comment":
                    if (JsonKit.AsString(value) is null) problems.Add($"{at}: must be a string");
                    break;
                case "required":
                    if (value is not JsonArray req || req.Any(r => JsonKit.AsString(r) is null)) problems.Add($"{at}: must be a list of property names");
                    break;
                case "enum":
                    if (value is not JsonArray) problems.Add($"{at}: must be a list");
                    break;
                case "uniqueItems":
                    if (JsonKit.AsBool(value) is null) problems.Add($"{at}: must be true or false");
                    break;
                case "items":
                    if (value is JsonArray tuple) Each(tuple, at, problems, depth);
                    else Check(value, at, problems, depth + 1);
                    break;
                case "dependencies":
                    if (value is not JsonObject deps) { problems.Add($"{at}: must be an object"); break; }
                    foreach (var (name, dep) in deps)
                        if (dep is not JsonArray) Check(dep, $"{at}/{SchemaMetaCheck.Escape(name)}", problems, depth + 1);
                    break;
                case var _ when Single.Contains(key):
                    Check(value, at, problems, depth + 1);
                    break;
                case var _ when Maps.Contains(key):
                    if (value is not JsonObject map) { problems.Add($"{at}: must be an object"); break; }
                    foreach (var (name, sub) in map)
                    {
                        if (key == "patternProperties" && !SchemaRegex.TryCompile(name, out _))
                            problems.Add($"{at}: '{name}' is not a valid regular expression");
                        Check(sub, $"{at}/{SchemaMetaCheck.Escape(name)}", problems, depth + 1);
                    }
                    break;
                case var _ when Lists.Contains(key):
                    if (value is not JsonArray list || list.Count == 0) problems.Add($"{at}: must be a non-empty list of schemas");
                    else Each(list, at, problems, depth);
                    break;
                // Anything else (const, default, examples, ory.sh/kratos, vendor keys) is data, not a subschema.
            }
        }
    }

    private static void Each(JsonArray list, string at, List<string> problems, int depth)
    {
        for (var i = 0; i < list.Count; i++) Check(list[i], $"{at}/{i}", problems, depth + 1);
    }
}
