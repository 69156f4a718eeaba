using Warden.Schemas;
using Xunit;

namespace Warden.Tests.Schemas;

public sealed class SchemaFieldsTests
{
    [Fact]
    public void Leaves_in_schema_order_with_nested_objects_flattened()
    {
        var fields = SchemaFixtures.Schema("nested.schema.json").Fields();
        Assert.Equal(
            ["traits.username", "traits.name.first", "traits.name.last", "traits.emails", "traits.plan", "traits.address.city", "traits.address.zip"],
            fields.Select(f => f.Name));
    }

    [Fact]
    public void Field_attributes_come_from_the_schema()
    {
        var fields = SchemaFixtures.Schema("nested.schema.json").Fields().ToDictionary(f => f.Name);
        var username = fields["traits.username"];
        Assert.Equal(("string", "Username", true, 3, 20, "^[a-z0-9_]+$", "username"),
            (username.JsonType, username.Title, username.Required, username.MinLength, username.MaxLength, username.Pattern, username.Autocomplete));
        Assert.True(fields["traits.name.first"].Required);
        Assert.False(fields["traits.name.last"].Required);
        Assert.True(fields["traits.address.city"].Required); // required within its (referenced) object
        Assert.Equal("array", fields["traits.emails"].JsonType);
        Assert.Equal(["free", "pro"], fields["traits.plan"].Enum!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public void Types_formats_and_autocomplete()
    {
        var fields = SchemaFixtures.Schema("email.schema.json").Fields();
        Assert.Equal(
            [("traits.email", "string", "email", "email"), ("traits.homepage", "string", "uri", "url"),
             ("traits.terms", "boolean", null, null), ("traits.age", "integer", null, null)],
            fields.Select(f => (f.Name, f.JsonType, f.Format, f.Autocomplete)));
        var phone = SchemaFixtures.Schema("phone.schema.json").Fields();
        Assert.Equal([("traits.phone", "tel"), ("traits.email", "email")], phone.Select(f => (f.Name, f.Autocomplete!)));
    }

    [Fact]
    public void Type_is_inferred_from_const_when_missing()
    {
        var consent = SchemaFixtures.Schema("keywords.schema.json").Fields().Single(f => f.Name == "traits.consent");
        Assert.Equal("boolean", consent.JsonType);
    }
}
