using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Http.Flows;
using Warden.Identities;
using Warden.SelfService;
using Warden.SelfService.Flows;
using Warden.SelfService.Hooks;
using Warden.SelfService.Settings;
using Warden.SelfService.Verification;
using Warden.Sessions;
using Xunit;

namespace Warden.Tests.SelfService;

/// <summary>Hooks see the flow they run in, with its real kind, for every flow model.</summary>
public sealed class HookFlowKindTests
{
    private sealed class Probe : IFlowHook
    {
        public HookContext? Seen { get; private set; }
        public string Name => "probe";

        public Task ExecuteAsync(HookContext context, JsonObject? config, CancellationToken ct)
        {
            Seen = context;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Settings_hooks_get_the_settings_flow_itself()
    {
        var probe = new Probe();
        var config = new SettingsFlowConfig();
        config.After.Hooks.Add(new HookConfig { Hook = "probe" });
        var hooks = new SettingsHooks([probe], config, NullLogger<SettingsHooks>.Instance);
        var flow = new SettingsFlow { Id = Guid.NewGuid(), Type = "api", ReturnTo = "https://app.example.org/" };
        await hooks.RunAfterAsync(new DefaultHttpContext(), flow, ClientKind.Api, "profile", new Identity { Id = Guid.NewGuid() },
            new Session { Id = Guid.NewGuid() });
        Assert.NotNull(probe.Seen);
        Assert.Equal(FlowKind.Settings, probe.Seen.Flow.Kind);
        Assert.Same(flow, probe.Seen.Flow);
    }

    [Fact]
    public void Every_kind_has_its_segment_and_address_flows_report_theirs()
    {
        Assert.Equal(["login", "registration", "settings", "recovery", "verification"],
            Enum.GetValues<FlowKind>().Select(FlowStore.KindName));
        ISelfServiceFlow recovery = new AddressFlow { Kind = AddressFlowKind.Recovery };
        ISelfServiceFlow verification = new AddressFlow { Kind = AddressFlowKind.Verification };
        Assert.Equal(FlowKind.Recovery, recovery.Kind);
        Assert.Equal(FlowKind.Verification, verification.Kind);
        Assert.Equal(FlowStore.KindName(FlowKind.Recovery), AddressFlow.KindName(AddressFlowKind.Recovery));
        Assert.Equal(FlowStore.KindName(FlowKind.Verification), AddressFlow.KindName(AddressFlowKind.Verification));
    }
}
