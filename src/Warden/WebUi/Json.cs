using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Schemas;

namespace Warden.WebUi;

/// <summary>Lenient reads of API answers: a field of an unexpected type reads as absent instead of throwing.</summary>
internal static class Json
{
    public static string? Str(JsonNode? node) => JsonKit.AsString(node);

    public static bool True(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;
}
