using System.Text.Json.Nodes;

namespace Warden.Schemas;

/// <summary>
/// Builds <see cref="TraitError"/>s. The ids and context keys are Kratos' (UIs translate by id and read the
/// context); the English texts are Warden's own.
/// </summary>
internal static class TraitMessages
{
    public const int Generic = 4000001;
    public const int Required = 4000002;
    public const int MinLength = 4000003;
    public const int Pattern = 4000004;
    public const int MaxLength = 4000017;
    public const int Minimum = 4000018;
    public const int ExclusiveMinimum = 4000019;
    public const int Maximum = 4000020;
    public const int ExclusiveMaximum = 4000021;
    public const int MultipleOf = 4000022;
    public const int MaxItems = 4000023;
    public const int MinItems = 4000024;
    public const int UniqueItems = 4000025;
    public const int WrongType = 4000026;
    public const int Const = 4000029;
    public const int Email = 4000040;
    public const int Phone = 4000041;

    public static TraitError GenericError(string path, string reason) =>
        new(path, Generic, reason, new JsonObject { ["reason"] = reason });

    public static TraitError RequiredError(string path, string property) =>
        new(path, Required, $"The field {property} is required.", new JsonObject { ["property"] = property });

    public static TraitError MinLengthError(string path, long min, int actual) =>
        new(path, MinLength, $"Enter at least {min} characters (currently {actual}).",
            new JsonObject { ["min_length"] = Num(min), ["actual_length"] = actual });

    public static TraitError MaxLengthError(string path, long max, int actual) =>
        new(path, MaxLength, $"Enter at most {max} characters (currently {actual}).",
            new JsonObject { ["max_length"] = Num(max), ["actual_length"] = actual });

    public static TraitError PatternError(string path, string pattern) =>
        new(path, Pattern, $"The value does not have the expected format ({pattern}).", new JsonObject { ["pattern"] = pattern });

    public static TraitError MinimumError(string path, JsonNode? limit, JsonNode? actual, bool exclusive) =>
        new(path, exclusive ? ExclusiveMinimum : Minimum,
            exclusive ? $"The value must be greater than {JsonKit.Display(limit)} (got {JsonKit.Display(actual)})."
                      : $"The value must be {JsonKit.Display(limit)} or more (got {JsonKit.Display(actual)}).",
            new JsonObject { ["minimum"] = JsonKit.Clone(limit), ["actual"] = JsonKit.Clone(actual) });

    public static TraitError MaximumError(string path, JsonNode? limit, JsonNode? actual, bool exclusive) =>
        new(path, exclusive ? ExclusiveMaximum : Maximum,
            exclusive ? $"The value must be less than {JsonKit.Display(limit)} (got {JsonKit.Display(actual)})."
                      : $"The value must be {JsonKit.Display(limit)} or less (got {JsonKit.Display(actual)}).",
            new JsonObject { ["maximum"] = JsonKit.Clone(limit), ["actual"] = JsonKit.Clone(actual) });

    public static TraitError MultipleOfError(string path, JsonNode? @base, JsonNode? actual) =>
        new(path, MultipleOf, $"The value must be a multiple of {JsonKit.Display(@base)} (got {JsonKit.Display(actual)}).",
            new JsonObject { ["base"] = JsonKit.Clone(@base), ["actual"] = JsonKit.Clone(actual) });

    public static TraitError MaxItemsError(string path, long max, int actual) =>
        new(path, MaxItems, $"Choose at most {max} entries (currently {actual}).",
            new JsonObject { ["max_items"] = Num(max), ["actual_items"] = actual });

    public static TraitError MinItemsError(string path, long min, int actual) =>
        new(path, MinItems, $"Choose at least {min} entries (currently {actual}).",
            new JsonObject { ["min_items"] = Num(min), ["actual_items"] = actual });

    public static TraitError UniqueItemsError(string path, int a, int b) =>
        new(path, UniqueItems, $"Entries {a} and {b} are the same; every entry must be different.",
            new JsonObject { ["index_a"] = a, ["index_b"] = b });

    public static TraitError WrongTypeError(string path, IReadOnlyList<string> allowed, string actual) =>
        new(path, WrongType, $"Expected {string.Join(" or ", allowed)}, but got {actual}.",
            new JsonObject { ["allowed_types"] = new JsonArray(allowed.Select(t => (JsonNode?)t).ToArray()), ["actual_type"] = actual });

    public static TraitError ConstError(string path, JsonNode? expected) =>
        new(path, Const, $"The value must be {JsonKit.Display(expected)}.", new JsonObject { ["expected"] = JsonKit.Clone(expected) });

    public static TraitError EmailError(string path, string value) =>
        new(path, Email, $"\"{value}\" is not a valid e-mail address.", new JsonObject { ["value"] = value });

    public static TraitError PhoneError(string path, string value) =>
        new(path, Phone, $"\"{value}\" is not a valid phone number; use the international format, e.g. +4915112345678.",
            new JsonObject { ["value"] = value });

    /// <summary>Limits come in as long; small ones are stored as int so readers can cast either way.</summary>
    private static JsonNode Num(long v) => v is >= int.MinValue and <= int.MaxValue ? JsonValue.Create((int)v) : JsonValue.Create(v);

    public static TraitError FormatError(string path, string format, string value) =>
        GenericError(path, $"\"{value}\" is not a valid {format}.");
}
