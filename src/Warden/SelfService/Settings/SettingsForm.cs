using Warden.Ui;

namespace Warden.SelfService.Settings;

/// <summary>Node bookkeeping shared by the settings methods: each method owns one node group.</summary>
public static class SettingsForm
{
    /// <summary>
    /// Replaces every node of <paramref name="group"/> with <paramref name="nodes"/>, where the group was
    /// (so re-rendering after a submission keeps the form's order), or at the end for a new group.
    /// </summary>
    public static void ReplaceGroup(UiContainer ui, string group, IEnumerable<UiNode> nodes)
    {
        var at = ui.Nodes.FindIndex(n => n.Group == group);
        ui.Nodes.RemoveAll(n => n.Group == group);
        if (at < 0 || at > ui.Nodes.Count) at = ui.Nodes.Count;
        ui.Nodes.InsertRange(at, nodes);
    }

    /// <summary>The submit button of a settings method (<c>method=&lt;id&gt;</c>, labelled "Save").</summary>
    public static UiNode Submit(string group, string method) =>
        UiNode.Input(group, "method", "submit", method, label: Messages.LabelSave());
}
