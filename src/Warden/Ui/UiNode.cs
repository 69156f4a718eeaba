using System.Text.Json.Nodes;

namespace Warden.Ui;

/// <summary>Node groups as Kratos names them; UIs filter nodes by group.</summary>
public static class UiGroups
{
    public const string Default = "default";
    public const string Password = "password";
    public const string Profile = "profile";
    public const string Oidc = "oidc";
}

/// <summary>
/// One form element of a flow (<c>uiNode</c>). Only input nodes exist so far; the attributes are kept as
/// a JSON object so later node kinds (img, text, script, a) need no model change.
/// </summary>
public sealed class UiNode
{
    public string Type { get; init; } = "input";
    public string Group { get; set; } = UiGroups.Default;
    public JsonObject Attributes { get; init; } = new();
    public List<UiText> Messages { get; } = [];
    public UiText? Label { get; set; }

    public string Name => Attributes["name"]?.GetValue<string>() ?? "";

    public JsonNode? Value
    {
        get => Attributes["value"];
        set
        {
            if (value is null) Attributes.Remove("value");
            else Attributes["value"] = value.DeepClone();
        }
    }

    /// <summary>
    /// An input node. Attribute order follows Kratos (name, type, value, required, autocomplete, disabled,
    /// node_type) so rendered JSON diffs cleanly against Kratos output.
    /// </summary>
    public static UiNode Input(string group, string name, string type, JsonNode? value = null, bool required = false,
        string? autocomplete = null, UiText? label = null, bool includeEmptyValue = false)
    {
        var a = new JsonObject { ["name"] = name, ["type"] = type };
        if (value is not null) a["value"] = value.DeepClone();
        else if (includeEmptyValue) a["value"] = "";
        if (required) a["required"] = true;
        if (autocomplete is not null) a["autocomplete"] = autocomplete;
        a["disabled"] = false;
        a["node_type"] = "input";
        return new UiNode { Group = group, Attributes = a, Label = label };
    }

    public JsonObject ToJson()
    {
        var meta = new JsonObject();
        if (Label is not null) meta["label"] = Label.ToJson();
        var messages = new JsonArray();
        foreach (var m in Messages) messages.Add(m.ToJson());
        return new JsonObject
        {
            ["type"] = Type,
            ["group"] = Group,
            ["attributes"] = Attributes.DeepClone(),
            ["messages"] = messages,
            ["meta"] = meta,
        };
    }

    public static UiNode FromJson(JsonObject o)
    {
        var node = new UiNode
        {
            Type = o["type"]?.GetValue<string>() ?? "input",
            Group = o["group"]?.GetValue<string>() ?? UiGroups.Default,
            Attributes = o["attributes"] is JsonObject a ? (JsonObject)a.DeepClone() : new JsonObject(),
            Label = o["meta"]?["label"] is JsonObject l ? UiText.FromJson(l) : null,
        };
        if (o["messages"] is JsonArray ms)
            foreach (var m in ms.OfType<JsonObject>()) node.Messages.Add(UiText.FromJson(m));
        return node;
    }
}
