using System.Text.Json.Nodes;
using Warden.Schemas;

namespace Warden.Config;

/// <summary>Rules that relate several keys to each other.</summary>
internal static partial class ConfigRules
{
    /// <summary>The id of the built-in identity schema Warden uses when <c>identity.schemas</c> is not set.</summary>
    internal const string DefaultSchemaId = "default";

    private const int BcryptMinimumCost = 12;

    public static void CheckAcrossKeys(WardenConfig config, List<ConfigProblem> problems)
    {
        CheckIdentitySchemas(config, problems);
        // Kratos compat: a bcrypt cost below 12 is only for local development (fast tests).
        if (!config.Dev && config.Node("hashers.bcrypt.cost") is JsonValue cost && Integer(cost) is { } c && c is >= 4 and < BcryptMinimumCost)
            problems.Add(new("hashers.bcrypt.cost", $"must be at least {BcryptMinimumCost} outside --dev mode, got {c}"));
    }

    private static void CheckIdentitySchemas(WardenConfig config, List<ConfigProblem> problems)
    {
        var ids = new List<string>();
        if (config.Node("identity.schemas") is JsonArray schemas)
        {
            for (var i = 0; i < schemas.Count; i++)
            {
                if (schemas[i] is not JsonObject entry || entry["id"] is not JsonValue v || !v.TryGetValue<string>(out var id) || id.Length == 0)
                    continue; // already reported by the per-key rules
                if (ids.Contains(id, StringComparer.Ordinal))
                    problems.Add(new($"identity.schemas.{i}.id", $"schema id \"{id}\" is used more than once"));
                ids.Add(id);
            }
            if (ids.Count == 0) return;
        }
        else
        {
            ids.Add(DefaultSchemaId);
        }
        var wanted = JsonKit.AsString(config.Node("identity.default_schema_id"));
        if (wanted is { Length: 0 }) return; // reported by the per-key rule
        if (!ids.Contains(wanted ?? DefaultSchemaId, StringComparer.Ordinal))
            problems.Add(new("identity.default_schema_id", wanted is null
                ? $"is not set, so it is \"{DefaultSchemaId}\", but identity.schemas has no schema with that id (ids: {string.Join(", ", ids)})"
                : $"\"{wanted}\" is not the id of any schema in identity.schemas (ids: {string.Join(", ", ids)})"));
    }
}
