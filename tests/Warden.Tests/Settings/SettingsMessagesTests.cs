using Warden.SelfService.Settings;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Settings;

/// <summary>The settings flow's message ids, types and context keys are Kratos' (checked when ../shared is present).</summary>
public sealed class SettingsMessagesTests
{
    [Fact]
    public void Ids_types_and_context_keys_match_kratos()
    {
        var samples = SettingsMessages.Samples();
        Assert.Equal([1050001, 1070003, 4010004, 4050001], samples.Select(m => m.Id));
        Assert.Equal("success", SettingsMessages.Saved().Type);
        if (!Shared.Available) return;
        var rows = File.ReadAllLines(Shared.Path("message-ids.tsv")).Skip(1).Select(l => l.Split('\t'))
            .ToDictionary(c => int.Parse(c[0]), c => (Type: c[1], Keys: c.Length > 3 ? c[3] : ""));
        foreach (var m in samples)
        {
            Assert.True(rows.ContainsKey(m.Id), $"{m.Id} is not a Kratos message id");
            Assert.Equal(rows[m.Id].Type, m.Type);
            var keys = rows[m.Id].Keys.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            foreach (var k in m.Context?.Select(p => p.Key) ?? []) Assert.Contains(k, keys);
        }
    }
}
