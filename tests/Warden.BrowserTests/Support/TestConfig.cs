using System.Text;
using System.Text.Json.Nodes;

namespace Warden.BrowserTests.Support;

/// <summary>The config the browser journeys run with: an e-mail + name schema, no network breach check.</summary>
public static class TestConfig
{
    /// <summary>E-mail identifier (password + code, verification and recovery by e-mail), a name, a newsletter flag.</summary>
    public const string Schema = """
    {
      "$id": "https://warden.test/person.schema.json",
      "$schema": "http://json-schema.org/draft-07/schema#",
      "title": "Person",
      "type": "object",
      "properties": {
        "traits": {
          "type": "object",
          "properties": {
            "email": {
              "type": "string", "format": "email", "title": "E-mail address", "maxLength": 320,
              "ory.sh/kratos": {
                "credentials": { "password": { "identifier": true }, "code": { "identifier": true, "via": "email" } },
                "verification": { "via": "email" },
                "recovery": { "via": "email" }
              }
            },
            "name": {
              "type": "object",
              "properties": {
                "first": { "type": "string", "title": "First name", "maxLength": 100 },
                "last": { "type": "string", "title": "Last name", "maxLength": 100 }
              }
            },
            "newsletter": { "type": "boolean", "title": "Send me product news" }
          },
          "required": ["email"],
          "additionalProperties": false
        }
      }
    }
    """;

    public static JsonObject Create(JsonObject? extra = null)
    {
        var root = new JsonObject
        {
            ["identity"] = new JsonObject
            {
                ["default_schema_id"] = "person",
                ["schemas"] = new JsonArray(new JsonObject
                {
                    ["id"] = "person",
                    ["url"] = "base64://" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Schema)),
                }),
            },
            ["selfservice"] = new JsonObject
            {
                // Signed in right after sign-up, as the journey expects (Kratos' session hook).
                ["flows"] = new JsonObject
                {
                    ["registration"] = new JsonObject
                    {
                        ["after"] = new JsonObject
                        {
                            ["password"] = new JsonObject { ["hooks"] = new JsonArray(new JsonObject { ["hook"] = "session" }) },
                        },
                    },
                },
                ["methods"] = new JsonObject
                {
                    ["password"] = new JsonObject { ["config"] = new JsonObject { ["haveibeenpwned_enabled"] = false } },
                },
            },
        };
        if (extra is not null) Merge(root, extra);
        return root;
    }

    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (k, v) in from)
        {
            if (v is JsonObject o && into[k] is JsonObject existing) Merge(existing, o);
            else into[k] = v?.DeepClone();
        }
    }
}
