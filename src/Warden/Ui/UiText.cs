using System.Text.Json.Nodes;

namespace Warden.Ui;

/// <summary>
/// A UI message (<c>uiText</c>): a numeric id clients branch on, its type (info/error/success) and the
/// values that were interpolated into the text (<c>context</c>), so UIs can translate it themselves.
/// </summary>
public sealed record UiText(int Id, string Text, string Type, JsonObject? Context = null)
{
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["id"] = Id, ["text"] = Text, ["type"] = Type };
        if (Context is not null) o["context"] = Context.DeepClone();
        return o;
    }

    public static UiText FromJson(JsonObject o) => new(
        o["id"]?.GetValue<int>() ?? 0,
        o["text"]?.GetValue<string>() ?? "",
        o["type"]?.GetValue<string>() ?? "info",
        o["context"] as JsonObject is { } c ? (JsonObject)c.DeepClone() : null);
}
