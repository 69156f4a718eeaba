using System.Text.Json.Nodes;
using Warden.Schemas;
using Xunit;

namespace Warden.Tests.Schemas;

public sealed class SchemaExtractionTests
{
    [Fact]
    public void Email_schema_yields_identifiers_and_addresses_normalised()
    {
        var x = SchemaFixtures.Schema("email.schema.json").Extract(SchemaFixtures.Json("""{"email": "  Jane.DOE@Example.ORG "}"""));
        Assert.Equal(["jane.doe@example.org"], x.For("password"));
        Assert.Equal(["jane.doe@example.org"], x.For("code"));
        Assert.Empty(x.For("webauthn"));
        Assert.Equal([new AddressRef("email", "jane.doe@example.org")], x.VerifiableAddresses);
        Assert.Equal([new AddressRef("email", "jane.doe@example.org")], x.RecoveryAddresses);
        Assert.Equal([new AddressRef("email", "jane.doe@example.org")], x.CodeAddresses);
    }

    [Fact]
    public void Nfkc_folds_compatibility_characters()
    {
        // Full-width letters and the "ﬁ" ligature are the same account as their plain forms.
        var x = SchemaFixtures.Schema("email.schema.json").Extract(new JsonObject { ["email"] = "ｊａｎｅ.ﬁsh@example.org" });
        Assert.Equal(["jane.fish@example.org"], x.For("password"));
    }

    [Fact]
    public void Phone_schema_keeps_digits_and_plus()
    {
        var x = SchemaFixtures.Schema("phone.schema.json").Extract(SchemaFixtures.Json("""{"phone": "+49 (151) 234-56789", "email": "A@B.de"}"""));
        Assert.Equal(["+4915123456789"], x.For("password"));
        Assert.Equal(["+4915123456789", "a@b.de"], x.For("code"));
        Assert.Equal([new AddressRef("sms", "+4915123456789"), new AddressRef("email", "a@b.de")], x.VerifiableAddresses);
        Assert.Equal([new AddressRef("sms", "+4915123456789")], x.RecoveryAddresses);
        Assert.Equal([new AddressRef("sms", "+4915123456789"), new AddressRef("email", "a@b.de")], x.CodeAddresses);
    }

    [Fact]
    public void Arrays_nested_display_names_and_duplicates()
    {
        var x = SchemaFixtures.Schema("nested.schema.json").Extract(SchemaFixtures.Json("""
            {"username": " Jane_Doe ", "name": {"first": "Jane"},
             "emails": ["b@example.org", "A@example.org", "a@example.org "]}
            """));
        // Identifiers are matched case-insensitively, so the username is lower-cased too; duplicates collapse.
        Assert.Equal(["a@example.org", "b@example.org", "jane_doe"], x.For("password"));
        Assert.Equal(["jane_doe"], x.For("webauthn"));
        // Display names keep their case.
        Assert.Equal(["Jane_Doe"], x.For("totp"));
        Assert.Equal(["Jane_Doe"], x.For("passkey"));
        Assert.Equal([new AddressRef("email", "b@example.org"), new AddressRef("email", "a@example.org")], x.VerifiableAddresses);
        Assert.Equal(x.VerifiableAddresses, x.RecoveryAddresses);
    }

    [Fact]
    public void Missing_or_non_string_traits_yield_nothing()
    {
        var schema = SchemaFixtures.Schema("email.schema.json");
        foreach (var traits in new JsonNode?[] { null, new JsonObject(), SchemaFixtures.Json("""{"email": 5}"""), SchemaFixtures.Json("""{"email": "   "}""") })
        {
            var x = schema.Extract(traits);
            Assert.Empty(x.Identifiers);
            Assert.Empty(x.VerifiableAddresses);
            Assert.Empty(x.RecoveryAddresses);
        }
    }

    [Fact]
    public void Built_in_default_schema()
    {
        var schemas = IdentitySchemas.BuiltIn();
        Assert.Equal("default", schemas.DefaultSchemaId);
        var x = schemas.Default.Extract(SchemaFixtures.Json("""{"email": "Me@Example.org"}"""));
        Assert.Equal(["me@example.org"], x.For("password"));
        Assert.Equal(["me@example.org"], x.For("code"));
        Assert.Equal([new AddressRef("email", "me@example.org")], x.VerifiableAddresses);
        Assert.Equal([new AddressRef("email", "me@example.org")], x.RecoveryAddresses);
        var field = Assert.Single(schemas.Default.Fields());
        Assert.Equal(("traits.email", "string", "email", "E-Mail", true, "email"),
            (field.Name, field.JsonType, field.Format, field.Title, field.Required, field.Autocomplete));
    }

    [Theory]
    [InlineData(" Alice@Example.org ", "alice@example.org")]
    [InlineData("+49 151 2345678", "+491512345678")]
    [InlineData("UserName", "username")]
    public void Login_identifier_normalisation_matches_stored_identifiers(string typed, string expected) =>
        Assert.Equal(expected, TraitNormalization.LoginIdentifier(typed));
}
