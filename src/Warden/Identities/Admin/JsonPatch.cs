using System.Text.Json.Nodes;
using Warden.Http;

namespace Warden.Identities.Admin;

/// <summary>
/// RFC 6902 JSON Patch (add, remove, replace, move, copy, test) over a <see cref="JsonNode"/> document,
/// with RFC 6901 pointers. Operations apply in order to a copy; any failure is a 400 and nothing changes.
/// <paramref name="allowed"/> decides which paths may be written (reads — test, copy's from — are free).
/// </summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject document, JsonNode? patch, Func<string, bool> allowed)
    {
        if (patch is not JsonArray ops) throw Bad("The body must be a JSON Patch document (an array of operations).");
        var doc = (JsonObject)document.DeepClone();
        for (var n = 0; n < ops.Count; n++)
        {
            if (ops[n] is not JsonObject op) throw Bad($"Operation {n} must be an object.");
            var kind = Str(op, "op", n);
            var path = Str(op, "path", n);
            switch (kind)
            {
                case "test":
                    if (!op.ContainsKey("value")) throw Bad($"Operation {n} (test) needs a value.");
                    if (!JsonNode.DeepEquals(Get(doc, path, n), op["value"])) throw Bad($"Operation {n} (test) failed: the value at {path} differs.");
                    continue;
                case "add" or "replace" when !op.ContainsKey("value"):
                    throw Bad($"Operation {n} ({kind}) needs a value.");
            }
            if (kind is not ("add" or "remove" or "replace" or "move" or "copy")) throw Bad($"Operation {n} has the unknown op \"{kind}\".");
            Guard(path, n, allowed);
            switch (kind)
            {
                case "add": Add(doc, path, op["value"]?.DeepClone(), n); break;
                case "remove": Remove(doc, path, n); break;
                case "replace":
                    Get(doc, path, n);
                    Remove(doc, path, n);
                    Add(doc, path, op["value"]?.DeepClone(), n);
                    break;
                case "copy":
                    Add(doc, path, Get(doc, Str(op, "from", n), n)?.DeepClone(), n);
                    break;
                case "move":
                    var from = Str(op, "from", n);
                    Guard(from, n, allowed);
                    if (path.StartsWith(from + "/", StringComparison.Ordinal)) throw Bad($"Operation {n} (move) cannot move a value into itself.");
                    var value = Get(doc, from, n)?.DeepClone();
                    Remove(doc, from, n);
                    Add(doc, path, value, n);
                    break;
            }
        }
        return doc;
    }

    private static void Guard(string path, int n, Func<string, bool> allowed)
    {
        if (!allowed(path)) throw Bad($"Operation {n}: the path {path} cannot be changed.");
    }

    private static string Str(JsonObject op, string key, int n) =>
        op[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad($"Operation {n} needs a string \"{key}\".");

    public static List<string> Tokens(string pointer, int n = 0)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw Bad($"Operation {n}: \"{pointer}\" is not a JSON pointer.");
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToList();
    }

    private static JsonNode? Get(JsonNode root, string pointer, int n)
    {
        JsonNode? node = root;
        foreach (var t in Tokens(pointer, n))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(t, out var child) => child,
                JsonArray a when Index(t, a.Count, false) is { } i => a[i],
                _ => throw Bad($"Operation {n}: the path {pointer} does not exist."),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string pointer, int n)
    {
        var tokens = Tokens(pointer, n);
        if (tokens.Count == 0) throw Bad($"Operation {n}: the whole document cannot be replaced.");
        var parentPointer = "/" + string.Join('/', tokens.Take(tokens.Count - 1).Select(t => t.Replace("~", "~0").Replace("/", "~1")));
        var parent = tokens.Count == 1 ? root : Get(root, parentPointer, n);
        return (parent ?? throw Bad($"Operation {n}: the parent of {pointer} is null."), tokens[^1]);
    }

    private static void Add(JsonNode root, string pointer, JsonNode? value, int n)
    {
        var (parent, last) = Parent(root, pointer, n);
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a when last == "-": a.Add(value); break;
            case JsonArray a when Index(last, a.Count, true) is { } i: a.Insert(i, value); break;
            default: throw Bad($"Operation {n}: cannot add at {pointer}.");
        }
    }

    private static void Remove(JsonNode root, string pointer, int n)
    {
        var (parent, last) = Parent(root, pointer, n);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last): o.Remove(last); break;
            case JsonArray a when Index(last, a.Count, false) is { } i: a.RemoveAt(i); break;
            default: throw Bad($"Operation {n}: the path {pointer} does not exist.");
        }
    }

    /// <summary>An array index token: digits without leading zeros, inside bounds (== count allowed for add).</summary>
    private static int? Index(string token, int count, bool forAdd)
    {
        if (token.Length == 0 || token.Length > 9 || !token.All(char.IsAsciiDigit) || (token.Length > 1 && token[0] == '0')) return null;
        var i = int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        return i < count || (forAdd && i == count) ? i : null;
    }

    private static ApiException Bad(string reason) => ApiException.BadRequest(reason);
}
