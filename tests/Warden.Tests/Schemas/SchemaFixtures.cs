using System.Text.Json.Nodes;
using Warden.Schemas;

namespace Warden.Tests.Schemas;

/// <summary>Our own schema fixtures (tests/Warden.Tests/Fixtures/Schemas), copied next to the test assembly.</summary>
internal static class SchemaFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Schemas", name);

    public static JsonObject Document(string name) => JsonNode.Parse(File.ReadAllText(Path(name)))!.AsObject();

    public static IdentitySchema Schema(string name, string id = "test") => new() { Id = id, Document = Document(name) };

    public static JsonNode Json(string json) => JsonNode.Parse(json)!;
}
