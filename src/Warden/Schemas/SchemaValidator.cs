using System.Text.Json.Nodes;
using static Warden.Schemas.TraitMessages;

namespace Warden.Schemas;

/// <summary>
/// A JSON Schema draft-07 validator over <see cref="JsonNode"/>s that reports in Kratos' terms: each error
/// carries the UI node name (<c>traits.name.first</c>), the Kratos message id and its context. Written
/// in-house rather than mapped from a library so that every keyword's id/context is exact, no
/// <c>$ref</c> ever triggers a network fetch, and formats are checked the way identity data needs.
/// </summary>
internal sealed partial class SchemaValidator(JsonObject root)
{
    private const int MaxDepth = 64;

    public List<TraitError> Validate(JsonNode? instance)
    {
        var errors = new List<TraitError>();
        Check(root, instance, [], errors, 0);
        return errors;
    }

    /// <summary>True when the value satisfies the subschema (used by anyOf/oneOf/not/if).</summary>
    private bool Passes(JsonNode? schema, JsonNode? value, List<string> path, int depth)
    {
        var probe = new List<TraitError>();
        Check(schema, value, path, probe, depth);
        return probe.Count == 0;
    }

    /// <summary>The node name a UI shows the message on; errors about the traits object itself go on <c>traits</c>.</summary>
    internal static string NodeName(List<string> path) => path.Count == 0 ? "traits" : string.Join('.', path);

    private static string ChildName(List<string> path, string child) =>
        path.Count == 0 ? child : NodeName(path) + "." + child;

    private void Check(JsonNode? schema, JsonNode? value, List<string> path, List<TraitError> errors, int depth)
    {
        var at = NodeName(path);
        if (depth > MaxDepth)
        {
            errors.Add(GenericError(at, "This value nests deeper than the schema checker allows."));
            return;
        }
        if (JsonKit.AsBool(schema) is { } allowed)
        {
            if (!allowed) errors.Add(GenericError(at, "No value is allowed here."));
            return;
        }
        if (schema is not JsonObject s) return;

        if (JsonKit.AsString(s["$ref"]) is { } reference)
        {
            // draft-07: keywords beside $ref are ignored.
            var target = SchemaRefs.Resolve(root, reference);
            if (target is null) errors.Add(GenericError(at, "The identity schema refers to a definition that does not exist."));
            else Check(target, value, path, errors, depth + 1);
            return;
        }

        if (!CheckType(s, value, at, errors)) return;
        CheckEnumConst(s, value, at, errors);
        switch (value)
        {
            case JsonObject obj:
                CheckObject(s, obj, path, errors, depth);
                break;
            case JsonArray arr:
                CheckArray(s, arr, path, errors, depth);
                break;
            default:
                if (JsonKit.AsString(value) is { } str) CheckString(s, str, at, errors);
                else if (JsonKit.Kind(value) == System.Text.Json.JsonValueKind.Number) CheckNumber(s, value!, at, errors);
                break;
        }
        CheckCombinators(s, value, path, errors, depth);
    }

    /// <summary>A type mismatch stops further checks on the value: the other keywords' messages would be noise.</summary>
    private static bool CheckType(JsonObject s, JsonNode? value, string at, List<TraitError> errors)
    {
        if (s["type"] is not { } typeNode) return true;
        List<string> allowed = typeNode is JsonArray arr
            ? arr.Select(JsonKit.AsString).OfType<string>().ToList()
            : JsonKit.AsString(typeNode) is { } t ? [t] : [];
        if (allowed.Count == 0 || allowed.Any(t => JsonKit.HasType(value, t))) return true;
        errors.Add(WrongTypeError(at, allowed, JsonKit.TypeName(value)));
        return false;
    }

    private static void CheckEnumConst(JsonObject s, JsonNode? value, string at, List<TraitError> errors)
    {
        if (s.TryGetPropertyValue("const", out var expected) && !JsonKit.DeepEquals(expected, value))
            errors.Add(ConstError(at, expected));
        if (s["enum"] is JsonArray options && !options.Any(o => JsonKit.DeepEquals(o, value)))
            errors.Add(GenericError(at, $"Choose one of {string.Join(", ", options.Select(JsonKit.Display))}."));
    }

    private static void CheckString(JsonObject s, string value, string at, List<TraitError> errors)
    {
        if (JsonKit.AsString(s["format"]) is { } format && !SchemaFormats.IsValid(format, value))
        {
            errors.Add(format switch
            {
                "email" or "idn-email" => EmailError(at, value),
                "tel" => PhoneError(at, value),
                _ => FormatError(at, format, value),
            });
        }
        // JSON Schema counts characters as Unicode code points, not UTF-16 units.
        var length = value.EnumerateRunes().Count();
        if (JsonKit.TryInt(s["minLength"], out var min) && length < min) errors.Add(MinLengthError(at, min, length));
        if (JsonKit.TryInt(s["maxLength"], out var max) && length > max) errors.Add(MaxLengthError(at, max, length));
        if (JsonKit.AsString(s["pattern"]) is { } pattern && !SchemaRegex.IsMatch(pattern, value))
            errors.Add(PatternError(at, pattern));
    }

    private static void CheckNumber(JsonObject s, JsonNode value, string at, List<TraitError> errors)
    {
        JsonKit.TryNumber(value, out var n);
        // draft-04 style boolean exclusiveMinimum/Maximum still appears in hand-written schemas.
        var exMinFlag = JsonKit.AsBool(s["exclusiveMinimum"]) == true;
        var exMaxFlag = JsonKit.AsBool(s["exclusiveMaximum"]) == true;
        if (JsonKit.TryNumber(s["minimum"], out var min) && (exMinFlag ? n <= min : n < min))
            errors.Add(MinimumError(at, s["minimum"], value, exMinFlag));
        if (JsonKit.TryNumber(s["maximum"], out var max) && (exMaxFlag ? n >= max : n > max))
            errors.Add(MaximumError(at, s["maximum"], value, exMaxFlag));
        if (JsonKit.TryNumber(s["exclusiveMinimum"], out var xmin) && n <= xmin)
            errors.Add(MinimumError(at, s["exclusiveMinimum"], value, exclusive: true));
        if (JsonKit.TryNumber(s["exclusiveMaximum"], out var xmax) && n >= xmax)
            errors.Add(MaximumError(at, s["exclusiveMaximum"], value, exclusive: true));
        if (s["multipleOf"] is { } mulNode && !IsMultiple(value, mulNode))
            errors.Add(MultipleOfError(at, mulNode, value));
    }

    private static bool IsMultiple(JsonNode value, JsonNode divisor)
    {
        // Decimal arithmetic so 0.3 is a multiple of 0.1; fall back to double for huge values.
        if (JsonKit.TryDecimal(value, out var v) && JsonKit.TryDecimal(divisor, out var d) && d > 0) return v % d == 0;
        return !JsonKit.TryNumber(value, out var x) || !JsonKit.TryNumber(divisor, out var y) || y <= 0 ||
               Math.Abs(Math.IEEERemainder(x, y)) < 1e-9;
    }
}
