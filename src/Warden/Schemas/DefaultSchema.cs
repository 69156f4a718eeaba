using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>The built-in schema a first run uses (no <c>identity.schemas</c> configured), shipped as an embedded resource.</summary>
internal static class DefaultSchema
{
    public const string Id = "default";
    private const string ResourceSuffix = "default.identity.schema.embedded.json";

    private static readonly Lazy<string> Text = new(() =>
    {
        var assembly = typeof(DefaultSchema).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>A fresh document each time, so no caller can change another's copy.</summary>
    public static IdentitySchema Create() => new() { Id = Id, Document = JsonNode.Parse(Text.Value)!.AsObject() };
}
