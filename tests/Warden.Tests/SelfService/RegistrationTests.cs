using System.Net;
using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.SelfService;

/// <summary>Registration nodes from the schema, validation messages, duplicates, and concurrency.</summary>
public sealed class RegistrationTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Nodes_come_from_the_schema_in_kratos_order(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var flow = await NativeFlow(s, "registration");
        var nodes = flow["ui"]!["nodes"]!.AsArray().Select(n => (
            n!["group"]!.GetValue<string>(), n["attributes"]!["name"]!.GetValue<string>(), n["attributes"]!["type"]!.GetValue<string>()));
        Assert.Equal(new[]
        {
            ("default", "csrf_token", "hidden"), ("default", "traits.email", "email"), ("password", "password", "password"),
            ("default", "traits.name.first", "text"), ("default", "traits.name.last", "text"), ("default", "traits.tos", "checkbox"),
            ("password", "method", "submit"),
        }, nodes);
        Assert.Equal("First Name", Node(flow, "traits.name.first")!["meta"]!["label"]!["text"]!.GetValue<string>());
        Assert.Equal(1070002, Node(flow, "traits.name.first")!["meta"]!["label"]!["id"]!.GetValue<int>());
        Assert.Equal(1040001, Node(flow, "method")!["meta"]!["label"]!["id"]!.GetValue<int>());
        Assert.Equal("new-password", Node(flow, "password")!["attributes"]!["autocomplete"]!.GetValue<string>());
        Assert.True(Node(flow, "traits.email")!["attributes"]!["required"]!.GetValue<bool>());
        Assert.Equal("choose_method", flow["state"]!.GetValue<string>());
        Assert.Contains("no-store", (await s.Public.GetAsync("/self-service/registration/api")).Headers.CacheControl!.ToString());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Validation_errors_land_on_their_nodes(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var flow = await NativeFlow(s, "registration");
        var missing = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits"] = new JsonObject { ["name"] = new JsonObject { ["first"] = "Ada" } }, ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Contains(4000002, NodeMessageIds(missing, "traits.email"));
        Assert.Equal("Ada", Node(missing, "traits.name.first")!["attributes"]!["value"]!.GetValue<string>());
        Assert.Null(Node(missing, "password")!["attributes"]!["value"]);

        var shortPassword = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = Email(), ["password"] = "abc", ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4000032], NodeMessageIds(shortPassword, "password"));

        var email = Email();
        var similar = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = email, ["password"] = email.Split('@')[0] + "1", ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4000031], NodeMessageIds(similar, "password"));

        var badEmail = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = "not-an-email", ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.NotEmpty(NodeMessageIds(badEmail, "traits.email"));
        Assert.All(NodeMessageIds(badEmail, "traits.email"), id => Assert.InRange(id, 4000001, 4000099));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Form_bodies_with_nested_trait_keys(string dialect)
    {
        await using var s = await StartAsync(dialect);
        using var browser = s.BrowserClient();
        var flow = await SpaFlow(browser, "registration");
        var email = Email();
        var r = await browser.SendAsync(PostForm(Action(flow), ("csrf_token", Csrf(flow)), ("traits.email", email),
            ("traits.name.first", "Grace"), ("traits.tos", "false"), ("traits.tos", "true"), ("password", Password), ("method", "password")));
        Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        Assert.Equal(UiBase + "/welcome", r.Headers.Location!.ToString());
        Assert.NotNull(SetCookie(r, "ory_kratos_session"));
        var identity = await s.Service<IdentityService>().FindByCredentialIdentifierAsync("password", email);
        Assert.Equal("Grace", identity!.Traits["name"]!["first"]!.GetValue<string>());
        Assert.True(identity.Traits["tos"]!.GetValue<bool>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Duplicate_identifier_is_4000007(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        await RegisterNative(s, email);
        var flow = await NativeFlow(s, "registration");
        var dup = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = email.ToUpperInvariant(), ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4000007], FlowMessageIds(dup));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task The_flow_is_completed_with_its_identity_and_only_then(string dialect)
    {
        // The flow is marked completed in the identity's own write: a duplicate rolls both back, so the same flow
        // takes another address; a stored identity leaves the flow completed, so it cannot create a second one.
        await using var s = await StartAsync(dialect, sessionHook: false);
        var taken = Email();
        await RegisterNative(s, taken);
        var flow = await NativeFlow(s, "registration");
        var dup = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = taken, ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4000007], FlowMessageIds(dup));
        var afterDup = await ExpectJson(await s.Public.GetAsync($"/self-service/registration/flows?id={flow["id"]}"), HttpStatusCode.OK);
        Assert.Equal("choose_method", afterDup["state"]!.GetValue<string>());

        var fresh = Email();
        var ok = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = fresh, ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.OK);
        Assert.Equal(fresh, ok["identity"]!["traits"]!["email"]!.GetValue<string>());
        var stored = await ExpectJson(await s.Public.GetAsync($"/self-service/registration/flows?id={flow["id"]}"), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", stored["state"]!.GetValue<string>());
        Assert.Equal("", Node(stored, "password")!["attributes"]!["value"]?.GetValue<string>() ?? "");
        Assert.Empty(FlowMessageIds(stored));

        var again = Email();
        await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = again, ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Null(await s.Service<IdentityService>().FindByCredentialIdentifierAsync("password", again));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Twenty_concurrent_registrations_with_one_email_create_one_identity(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        var flows = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => NativeFlow(s, "registration")));
        var responses = await Task.WhenAll(flows.Select(f => s.Public.SendAsync(PostJson(Action(f), new JsonObject
        {
            ["traits.email"] = email, ["password"] = Password, ["method"] = "password",
        }))));
        var codes = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.Equal(1, codes.Count(c => c == 200));
        Assert.Equal(19, codes.Count(c => c == 400));
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.BadRequest))
            Assert.Equal([4000007], FlowMessageIds(await Json(r)));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Registration_can_be_disabled(string dialect)
    {
        await using var s = await StartAsync(dialect, tweak: c => c["selfservice"]!["flows"]!["registration"]!["enabled"] = false);
        var e = await ExpectJson(await s.Public.GetAsync("/self-service/registration/api"), HttpStatusCode.BadRequest);
        Assert.Equal("self_service_flow_disabled", e["error"]!["id"]!.GetValue<string>());
    }
}
