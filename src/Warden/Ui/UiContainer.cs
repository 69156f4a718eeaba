using System.Text.Json.Nodes;

namespace Warden.Ui;

/// <summary>The <c>ui</c> object of a flow: where the form posts, its nodes, and flow-level messages.</summary>
public sealed class UiContainer
{
    public string Action { get; set; } = "";
    public string Method { get; set; } = "POST";
    public List<UiNode> Nodes { get; } = [];
    public List<UiText> Messages { get; } = [];

    public UiNode? Find(string name, string? group = null) =>
        Nodes.FirstOrDefault(n => n.Name == name && (group is null || n.Group == group));

    /// <summary>Replaces a node with the same name and group, or appends it.</summary>
    public void Upsert(UiNode node)
    {
        var i = Nodes.FindIndex(n => n.Name == node.Name && n.Group == node.Group);
        if (i >= 0) Nodes[i] = node;
        else Nodes.Add(node);
    }

    /// <summary>Clears every message before a submission is evaluated again.</summary>
    public void ResetMessages()
    {
        Messages.Clear();
        foreach (var n in Nodes) n.Messages.Clear();
    }

    /// <summary>Attaches a message to the named node, or to the flow when no such node exists.</summary>
    public void AddMessage(string? nodeName, UiText text)
    {
        var node = string.IsNullOrEmpty(nodeName) ? null : Nodes.FirstOrDefault(n => n.Name == nodeName);
        if (node is null) Messages.Add(text);
        else node.Messages.Add(text);
    }

    public bool HasErrors => Messages.Any(m => m.Type == "error") || Nodes.Any(n => n.Messages.Any(m => m.Type == "error"));

    /// <summary>Never echo secrets back: password values are dropped before a flow is stored or rendered.</summary>
    public void ClearSecretValues()
    {
        foreach (var n in Nodes)
            if (n.Attributes["type"]?.GetValue<string>() == "password") n.Value = null;
    }

    /// <summary>
    /// The container with the <c>csrf_token</c> node set to <paramref name="csrfValue"/>: the masked token of
    /// this render for browser flows, empty for API flows (which have no CSRF).
    /// </summary>
    public JsonObject ToJson(string csrfValue)
    {
        var o = ToJson();
        foreach (var n in o["nodes"]!.AsArray().OfType<JsonObject>())
            if (n["attributes"]?["name"]?.GetValue<string>() == "csrf_token")
                n["attributes"]!["value"] = csrfValue;
        return o;
    }

    public JsonObject ToJson()
    {
        var nodes = new JsonArray();
        foreach (var n in Nodes) nodes.Add(n.ToJson());
        var o = new JsonObject { ["action"] = Action, ["method"] = Method, ["nodes"] = nodes };
        if (Messages.Count > 0)
        {
            var ms = new JsonArray();
            foreach (var m in Messages) ms.Add(m.ToJson());
            o["messages"] = ms;
        }
        return o;
    }

    public static UiContainer FromJson(JsonObject o)
    {
        var ui = new UiContainer
        {
            Action = o["action"]?.GetValue<string>() ?? "",
            Method = o["method"]?.GetValue<string>() ?? "POST",
        };
        if (o["nodes"] is JsonArray ns)
            foreach (var n in ns.OfType<JsonObject>()) ui.Nodes.Add(UiNode.FromJson(n));
        if (o["messages"] is JsonArray ms)
            foreach (var m in ms.OfType<JsonObject>()) ui.Messages.Add(UiText.FromJson(m));
        return ui;
    }
}
