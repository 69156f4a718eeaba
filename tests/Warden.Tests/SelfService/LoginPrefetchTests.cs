using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.SelfService.Flows;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.SelfService;

/// <summary>
/// A login submission reads its flow and the identity its identifier names in one command. These pin what that
/// read returns, how the password method uses it, and that errors keep their order although the body is now read
/// before the flow.
/// </summary>
public sealed class LoginPrefetchTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task The_flow_and_the_identity_come_back_from_one_read(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        var registered = await RegisterNative(s, email);
        var flowId = Guid.Parse((await NativeFlow(s, "login"))["id"]!.GetValue<string>());
        var store = s.Service<FlowStore>();
        var lookup = IdentityService.LookupFor("password", email.ToUpperInvariant());

        var (flow, prefetched) = await store.GetAsync(FlowKind.Login, flowId, lookup);
        Assert.Equal(flowId, flow!.Id);
        Assert.Same(lookup, prefetched.Lookup);
        Assert.Equal(registered["identity"]!["id"]!.GetValue<string>(), prefetched.Found!.Id.ToString());
        Assert.Equal([email], prefetched.Found.Credentials["password"].Identifiers);
        Assert.NotEmpty(prefetched.Found.Credentials["password"].Config["hashed_password"]!.GetValue<string>());
        Assert.Equal(email, Assert.Single(prefetched.Found.VerifiableAddresses).Value);

        var (_, nobody) = await store.GetAsync(FlowKind.Login, flowId, IdentityService.LookupFor("password", Email()));
        Assert.Null(nobody.Found);
        // A flow of another kind is not found, the identity still is: the gate answers 404 before using it.
        var (other, stillFound) = await store.GetAsync(FlowKind.Registration, flowId, lookup);
        Assert.Null(other);
        Assert.NotNull(stillFound.Found);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_prefetch_answers_only_for_its_own_lookup(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        await RegisterNative(s, email);
        var service = s.Service<IdentityService>();
        var lookup = IdentityService.LookupFor("password", email);
        var standIn = new Identity { Id = Guid.NewGuid() };

        // Same lookup: the prefetched answer is used as is, without reading again.
        Assert.Same(standIn, await service.FindAsync(lookup, new IdentityPrefetch(lookup, standIn)));
        Assert.Null(await service.FindAsync(lookup, new IdentityPrefetch(lookup, null)));
        // Another lookup's prefetch is ignored.
        var other = IdentityService.LookupFor("password", Email());
        var real = await service.FindAsync(lookup, new IdentityPrefetch(other, standIn));
        Assert.Equal([email], real!.Credentials["password"].Identifiers);
        // A miss on the first identifier still tries the alternative spelling.
        var twoSpellings = new IdentityLookup("password", "missing-" + email, email);
        Assert.Equal(real.Id, (await service.FindAsync(twoSpellings, new IdentityPrefetch(twoSpellings, null)))!.Id);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Errors_keep_their_order_when_the_body_is_read_first(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        await RegisterNative(s, email);
        static HttpRequestMessage Malformed(string url) =>
            new(HttpMethod.Post, url) { Content = new StringContent("{\"identifier\": ", Encoding.UTF8, "application/json") };

        // An unknown flow is a 404 even when the body is malformed too.
        var unknown = await ExpectJson(await s.Public.SendAsync(Malformed($"/self-service/login?flow={Guid.NewGuid()}")), HttpStatusCode.NotFound);
        Assert.Equal(404, unknown["error"]!["code"]!.GetValue<int>());
        var flow = await NativeFlow(s, "login");
        var malformed = await ExpectJson(await s.Public.SendAsync(Malformed(Action(flow))), HttpStatusCode.BadRequest);
        Assert.Equal(400, malformed["error"]!["code"]!.GetValue<int>());

        // The flow survives both and still signs in, with the identifier spelled differently.
        var ok = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = " " + email.ToUpperInvariant(), ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.OK);
        Assert.StartsWith("ory_st_", ok["session_token"]!.GetValue<string>());
        // A wrong password through the same path is the usual invalid-credentials message.
        var flow2 = await NativeFlow(s, "login");
        var wrong = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow2), new JsonObject
        {
            ["identifier"] = email, ["password"] = Password + "x", ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4000006], FlowMessageIds(wrong));
    }
}
