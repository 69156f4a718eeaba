using System.Text.Json.Nodes;
using Warden.Schemas;
using Xunit;

namespace Warden.Tests.Schemas;

public sealed class TraitValidationTests
{
    private static readonly IdentitySchema Keywords = SchemaFixtures.Schema("keywords.schema.json");

    /// <summary>Validates traits with a valid e-mail plus one extra trait and returns the errors.</summary>
    private static IReadOnlyList<TraitError> With(string extra) =>
        Keywords.Validate(SchemaFixtures.Json($$"""{"email": "a@example.org", {{extra}} }"""));

    private static TraitError Single(IReadOnlyList<TraitError> errors)
    {
        Assert.Single(errors);
        return errors[0];
    }

    [Fact]
    public void Valid_traits_have_no_errors()
    {
        var errors = Keywords.Validate(SchemaFixtures.Json("""
            {"email": "Jane.Doe+x@sub.example.org", "phone": "+49 151 2345 6789", "birthday": "1990-02-28",
             "seen": "2024-01-31T23:59:59.5+01:00", "site": "https://example.org/me", "nick": "abc", "age": 18,
             "score": 9.5, "tags": ["a", "b"], "color": "red", "consent": true, "name": {"first": "J"},
             "contact": {"kind": "email", "value": "x@example.org"}, "id": 7, "extra": {"anything": [1]}}
            """));
        Assert.Empty(errors);
    }

    [Fact]
    public void Missing_required_trait_goes_on_its_own_node()
    {
        var e = Single(Keywords.Validate(new JsonObject()));
        Assert.Equal(("traits.email", 4000002), (e.Path, e.MessageId));
        Assert.Equal("email", (string?)e.Context["property"]);
    }

    [Fact]
    public void Null_traits_are_checked_as_an_empty_object()
    {
        Assert.Equal("traits.email", Single(Keywords.Validate(null)).Path);
    }

    [Fact]
    public void Nested_required_uses_the_dotted_path()
    {
        var e = Single(With("\"name\": {}"));
        Assert.Equal(("traits.name.first", 4000002), (e.Path, e.MessageId));
        Assert.Equal("first", (string?)e.Context["property"]);
    }

    [Fact]
    public void Min_length_reports_limit_and_actual_length_in_code_points()
    {
        var e = With("\"nick\": \"𝒶\"").Single(x => x.MessageId == 4000003);
        Assert.Equal(("traits.nick", 4000003), (e.Path, e.MessageId));
        Assert.Equal(2, (int)e.Context["min_length"]!);
        Assert.Equal(1, (int)e.Context["actual_length"]!); // one code point, two UTF-16 units
    }

    [Fact]
    public void Max_length()
    {
        var e = Single(With("\"nick\": \"abcdef\""));
        Assert.Equal(4000017, e.MessageId);
        Assert.Equal(5, (int)e.Context["max_length"]!);
        Assert.Equal(6, (int)e.Context["actual_length"]!);
    }

    [Fact]
    public void Pattern()
    {
        var e = Single(With("\"nick\": \"AB\""));
        Assert.Equal((4000004, "^[a-z]+$"), (e.MessageId, (string?)e.Context["pattern"]));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@@example.org")]
    [InlineData("a b@example.org")]
    [InlineData("a@example..org")]
    [InlineData("@example.org")]
    [InlineData("a@-example.org")]
    [InlineData(".a@example.org")]
    [InlineData("")]
    public void Invalid_email(string value)
    {
        var errors = Keywords.Validate(new JsonObject { ["email"] = value });
        var e = Single(errors);
        Assert.Equal(("traits.email", 4000040), (e.Path, e.MessageId));
        Assert.Equal(value, (string?)e.Context["value"]);
    }

    [Theory]
    [InlineData("a@example.org")]
    [InlineData("first.last+tag@sub.example.co.uk")]
    [InlineData("\"quoted name\"@example.org")]
    [InlineData("user@[192.168.0.1]")]
    [InlineData("jürgen@bücher.de")]
    public void Valid_email(string value) => Assert.Empty(Keywords.Validate(new JsonObject { ["email"] = value }));

    [Theory]
    [InlineData("015112345678")]
    [InlineData("+0151123456")]
    [InlineData("+49abc1234567")]
    [InlineData("+123")]
    [InlineData("+1234567890123456")]
    public void Invalid_phone(string value)
    {
        var e = Single(With($"\"phone\": \"{value}\""));
        Assert.Equal(("traits.phone", 4000041), (e.Path, e.MessageId));
        Assert.Equal(value, (string?)e.Context["value"]);
    }

    [Theory]
    [InlineData("birthday", "1990-02-30")]
    [InlineData("birthday", "90-02-01")]
    [InlineData("seen", "2024-01-31 23:59:59Z")]
    [InlineData("seen", "2024-01-31T24:00:00Z")]
    [InlineData("seen", "2024-01-31T10:00:00")]
    [InlineData("site", "/relative/path")]
    [InlineData("site", "not a uri")]
    public void Other_formats_are_generic_errors_with_a_reason(string trait, string value)
    {
        var e = Single(With($"\"{trait}\": \"{value}\""));
        Assert.Equal(("traits." + trait, 4000001), (e.Path, e.MessageId));
        Assert.Contains(value, (string?)e.Context["reason"]);
    }

    [Fact]
    public void Wrong_type_lists_allowed_and_actual_types()
    {
        var e = Single(With("\"age\": \"old\""));
        Assert.Equal(("traits.age", 4000026), (e.Path, e.MessageId));
        Assert.Equal(["integer"], e.Context["allowed_types"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("string", (string?)e.Context["actual_type"]);
    }

    [Fact]
    public void Fractional_number_is_not_an_integer_but_whole_float_is()
    {
        Assert.Equal(4000026, Single(With("\"age\": 20.5")).MessageId);
        Assert.Empty(With("\"age\": 20.0"));
    }

    [Theory]
    [InlineData("\"age\": 17", 4000018, "minimum", 18)]
    [InlineData("\"age\": 100", 4000020, "maximum", 99)]
    [InlineData("\"score\": 0", 4000019, "minimum", 0)]
    [InlineData("\"score\": 10", 4000021, "maximum", 10)]
    public void Numeric_limits(string trait, int id, string key, double limit)
    {
        var e = Single(With(trait));
        Assert.Equal(id, e.MessageId);
        Assert.Equal(limit, (double)e.Context[key]!);
        Assert.NotNull(e.Context["actual"]);
    }

    [Fact]
    public void Multiple_of()
    {
        var e = Single(With("\"score\": 0.3"));
        Assert.Equal(4000022, e.MessageId);
        Assert.Equal(0.5, (double)e.Context["base"]!);
        Assert.Equal(0.3, (double)e.Context["actual"]!);
    }

    [Fact]
    public void Array_limits_and_uniqueness()
    {
        var few = Single(With("\"tags\": []"));
        Assert.Equal((4000024, 1, 0), (few.MessageId, (int)few.Context["min_items"]!, (int)few.Context["actual_items"]!));
        var many = With("\"tags\": [\"a\", \"b\", \"c\"]");
        Assert.Contains(many, e => e.MessageId == 4000023 && (int)e.Context["max_items"]! == 2 && (int)e.Context["actual_items"]! == 3);
        var dup = Single(With("\"tags\": [\"a\", \"a\"]"));
        Assert.Equal((4000025, 0, 1), (dup.MessageId, (int)dup.Context["index_a"]!, (int)dup.Context["index_b"]!));
    }

    [Fact]
    public void Array_items_are_checked_with_index_in_path()
    {
        var e = Single(With("\"tags\": [\"a\", 5]"));
        Assert.Equal(("traits.tags.1", 4000026), (e.Path, e.MessageId));
    }

    [Fact]
    public void Enum_and_const()
    {
        var en = Single(With("\"color\": \"blue\""));
        Assert.Equal((4000001, "traits.color"), (en.MessageId, en.Path));
        Assert.Contains("red", (string?)en.Context["reason"]);
        var c = Single(With("\"consent\": false"));
        Assert.Equal((4000029, true), (c.MessageId, (bool)c.Context["expected"]!));
    }

    [Fact]
    public void Additional_properties_are_reported_on_the_parent()
    {
        var top = Single(With("\"unknown\": 1"));
        Assert.Equal(("traits", 4000001), (top.Path, top.MessageId));
        Assert.Contains("unknown", (string?)top.Context["reason"]);
        var nested = Single(With("\"name\": {\"first\": \"a\", \"middle\": \"b\"}"));
        Assert.Equal("traits.name", nested.Path);
    }

    [Fact]
    public void Traits_that_are_not_an_object()
    {
        var e = Single(Keywords.Validate(JsonValue.Create("text")));
        Assert.Equal(("traits", 4000026), (e.Path, e.MessageId));
    }

    [Fact]
    public void If_then_applies_the_conditional_format()
    {
        var e = Single(With("\"contact\": {\"kind\": \"email\", \"value\": \"nope\"}"));
        Assert.Equal(("traits.contact.value", 4000040), (e.Path, e.MessageId));
        Assert.Empty(With("\"contact\": {\"kind\": \"phone\", \"value\": \"nope\"}"));
    }

    [Fact]
    public void One_of_and_false_schema()
    {
        Assert.Equal(4000001, Single(With("\"id\": 1.5")).MessageId);
        var e = Single(With("\"extra\": {\"nothing\": 1}"));
        Assert.Equal(("traits.extra.nothing", 4000001), (e.Path, e.MessageId));
    }

    [Fact]
    public void Local_refs_are_followed()
    {
        var nested = SchemaFixtures.Schema("nested.schema.json");
        var errors = nested.Validate(SchemaFixtures.Json("""{"username": "abc", "name": {"first": "A"}, "address": {"zip": "1"}}"""));
        Assert.Contains(errors, e => e.Path == "traits.address.city" && e.MessageId == 4000002);
        Assert.Contains(errors, e => e.Path == "traits.address.zip" && e.MessageId == 4000004);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Several_errors_on_one_trait_are_all_reported()
    {
        var errors = With("\"nick\": \"A\"");
        Assert.Equal([4000003, 4000004], errors.Select(e => e.MessageId));
        Assert.All(errors, e => Assert.Equal("traits.nick", e.Path));
    }

    [Fact]
    public void Validation_does_not_change_the_traits()
    {
        var traits = SchemaFixtures.Json("""{"email": "a@example.org"}""");
        Keywords.Validate(traits);
        Assert.Null(traits.Parent);
        Assert.Equal("""{"email":"a@example.org"}""", traits.ToJsonString());
    }
}
