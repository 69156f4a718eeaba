using System.Text.Json.Nodes;
using static Warden.Schemas.TraitMessages;

namespace Warden.Schemas;

/// <summary>Object, array and combinator keywords.</summary>
internal sealed partial class SchemaValidator
{
    private void CheckObject(JsonObject s, JsonObject obj, List<string> path, List<TraitError> errors, int depth)
    {
        var at = NodeName(path);
        if (s["required"] is JsonArray required)
        {
            // Kratos compat: a missing property's message sits on that property's own node, not its parent.
            foreach (var name in required.Select(JsonKit.AsString).OfType<string>())
                if (!obj.ContainsKey(name)) errors.Add(RequiredError(ChildName(path, name), name));
        }
        if (JsonKit.TryInt(s["minProperties"], out var minP) && obj.Count < minP)
            errors.Add(GenericError(at, $"Provide at least {minP} properties (currently {obj.Count})."));
        if (JsonKit.TryInt(s["maxProperties"], out var maxP) && obj.Count > maxP)
            errors.Add(GenericError(at, $"Provide at most {maxP} properties (currently {obj.Count})."));

        var properties = s["properties"] as JsonObject;
        var patterns = s["patternProperties"] as JsonObject;
        // Schema order first (the order forms show), then anything else the instance carries.
        var names = (properties?.Select(p => p.Key) ?? []).Where(obj.ContainsKey)
            .Concat(obj.Select(p => p.Key).Where(k => properties is null || !properties.ContainsKey(k)));
        foreach (var name in names)
        {
            var child = obj[name];
            path.Add(name);
            var matched = false;
            if (properties is not null && properties.TryGetPropertyValue(name, out var propSchema))
            {
                matched = true;
                Check(propSchema, child, path, errors, depth + 1);
            }
            if (patterns is not null)
            {
                foreach (var (pattern, patternSchema) in patterns)
                {
                    if (!SchemaRegex.IsMatch(pattern, name)) continue;
                    matched = true;
                    Check(patternSchema, child, path, errors, depth + 1);
                }
            }
            path.RemoveAt(path.Count - 1);
            if (!matched && s.TryGetPropertyValue("additionalProperties", out var additional) && additional is not null)
            {
                if (JsonKit.AsBool(additional) == false)
                    errors.Add(GenericError(at, $"The property {name} is not allowed."));
                else if (additional is JsonObject)
                {
                    path.Add(name);
                    Check(additional, child, path, errors, depth + 1);
                    path.RemoveAt(path.Count - 1);
                }
            }
            if (s["propertyNames"] is { } nameSchema && !Passes(nameSchema, JsonValue.Create(name), path, depth + 1))
                errors.Add(GenericError(at, $"The property name {name} is not allowed."));
        }

        if (s["dependencies"] is JsonObject dependencies)
        {
            foreach (var (trigger, dependency) in dependencies)
            {
                if (!obj.ContainsKey(trigger)) continue;
                if (dependency is JsonArray needed)
                {
                    foreach (var name in needed.Select(JsonKit.AsString).OfType<string>())
                        if (!obj.ContainsKey(name)) errors.Add(RequiredError(ChildName(path, name), name));
                }
                else Check(dependency, obj, path, errors, depth + 1);
            }
        }
    }

    private void CheckArray(JsonObject s, JsonArray arr, List<string> path, List<TraitError> errors, int depth)
    {
        var at = NodeName(path);
        if (JsonKit.TryInt(s["minItems"], out var min) && arr.Count < min) errors.Add(MinItemsError(at, min, arr.Count));
        if (JsonKit.TryInt(s["maxItems"], out var max) && arr.Count > max) errors.Add(MaxItemsError(at, max, arr.Count));
        if (JsonKit.AsBool(s["uniqueItems"]) == true)
        {
            for (var i = 0; i < arr.Count; i++)
            for (var j = i + 1; j < arr.Count; j++)
            {
                if (!JsonKit.DeepEquals(arr[i], arr[j])) continue;
                errors.Add(UniqueItemsError(at, i, j));
                goto doneUnique; // one report is enough
            }
            doneUnique: ;
        }

        var items = s["items"];
        for (var i = 0; i < arr.Count; i++)
        {
            JsonNode? itemSchema = items switch
            {
                JsonArray tuple when i < tuple.Count => tuple[i],
                JsonArray => s["additionalItems"],
                _ => items,
            };
            if (itemSchema is null) continue;
            path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Check(itemSchema, arr[i], path, errors, depth + 1);
            path.RemoveAt(path.Count - 1);
        }

        if (s["contains"] is { } contains && !arr.Select((item, i) => (item, i)).Any(p =>
            {
                path.Add(p.i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                try { return Passes(contains, p.item, path, depth + 1); }
                finally { path.RemoveAt(path.Count - 1); }
            }))
            errors.Add(GenericError(at, "None of the entries has the required form."));
    }

    private void CheckCombinators(JsonObject s, JsonNode? value, List<string> path, List<TraitError> errors, int depth)
    {
        var at = NodeName(path);
        if (s["allOf"] is JsonArray allOf)
            foreach (var sub in allOf) Check(sub, value, path, errors, depth + 1);

        if (s["anyOf"] is JsonArray anyOf && anyOf.Count > 0 && !anyOf.Any(sub => Passes(sub, value, path, depth + 1)))
            errors.Add(GenericError(at, "The value does not match any of the allowed forms."));

        if (s["oneOf"] is JsonArray oneOf && oneOf.Count > 0)
        {
            var matches = oneOf.Count(sub => Passes(sub, value, path, depth + 1));
            if (matches == 0) errors.Add(GenericError(at, "The value does not match any of the allowed forms."));
            else if (matches > 1) errors.Add(GenericError(at, "The value matches more than one of the exclusive forms."));
        }

        if (s["not"] is { } not && Passes(not, value, path, depth + 1))
            errors.Add(GenericError(at, "The value has a form that is not allowed."));

        if (s["if"] is { } condition)
        {
            var branch = Passes(condition, value, path, depth + 1) ? s["then"] : s["else"];
            if (branch is not null) Check(branch, value, path, errors, depth + 1);
        }
    }
}
