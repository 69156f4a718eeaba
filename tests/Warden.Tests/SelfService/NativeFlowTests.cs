using System.Net;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.SelfService;

/// <summary>Native (API) clients: the seeds' curl examples as HttpClient calls, and their error cases.</summary>
public sealed class NativeFlowTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Seed_registration_then_login_with_session_token(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        // Seed: POST {"traits.email", "password", "method": "password"} to ui.action with the session hook on.
        var reg = await RegisterNative(s, email);
        Assert.StartsWith("ory_st_", reg["session_token"]!.GetValue<string>());
        Assert.Matches("^ory_st_[A-Za-z0-9]{32}$", reg["session_token"]!.GetValue<string>());
        Assert.Equal(email, reg["identity"]!["traits"]!["email"]!.GetValue<string>());
        Assert.Equal(reg["identity"]!["id"]!.ToString(), reg["session"]!["identity"]!["id"]!.ToString());
        Assert.Contains(reg["continue_with"]!.AsArray(), c => c!["action"]!.GetValue<string>() == "set_ory_session_token");

        var flow = await NativeFlow(s, "login");
        Assert.Equal("api", flow["type"]!.GetValue<string>());
        Assert.Equal("", Csrf(flow));
        var r = await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email.ToUpperInvariant(), ["password"] = Password, ["method"] = "password",
        }));
        var login = await ExpectJson(r, HttpStatusCode.OK);
        var token = login["session_token"]!.GetValue<string>();
        Assert.Matches("^ory_st_[A-Za-z0-9]{32}$", token);
        Assert.Null(SetCookie(r, "ory_kratos_session"));
        Assert.Equal("password", login["session"]!["authentication_methods"]![0]!["method"]!.GetValue<string>());

        // Seed: the token works at whoami (Authorization: Bearer).
        var who = new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami");
        who.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        await ExpectJson(await s.Public.SendAsync(who), HttpStatusCode.OK);

        // The flow was stored as completed with the session: it cannot be submitted twice, and keeps no password.
        var stored = await ExpectJson(await s.Public.GetAsync($"/self-service/login/flows?id={flow["id"]}"), HttpStatusCode.OK);
        Assert.Equal("passed_challenge", stored["state"]!.GetValue<string>());
        Assert.Equal("", Node(stored, "password")!["attributes"]!["value"]?.GetValue<string>() ?? "");
        var twice = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Null(twice["session_token"]);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Registration_without_session_hook_returns_identity_only(string dialect)
    {
        await using var s = await StartAsync(dialect, sessionHook: false);
        var reg = await RegisterNative(s, Email());
        Assert.Null(reg["session_token"]);
        Assert.Null(reg["session"]);
        Assert.NotNull(reg["identity"]!["id"]);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Wrong_password_and_unknown_identifier_give_the_same_400(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        await RegisterNative(s, email);
        foreach (var (id, pw) in new[] { (email, "wrong-password-123"), (Email(), Password) })
        {
            var flow = await NativeFlow(s, "login");
            var body = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
            {
                ["identifier"] = id, ["password"] = pw, ["method"] = "password",
            })), HttpStatusCode.BadRequest);
            Assert.Equal(flow["id"]!.ToString(), body["id"]!.ToString());
            Assert.Equal([4000006], FlowMessageIds(body));
            Assert.Equal(id, Node(body, "identifier")!["attributes"]!["value"]!.GetValue<string>());
            Assert.Null(Node(body, "password")!["attributes"]!["value"]);
            Assert.Equal("password", body["active"]!.GetValue<string>());
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Missing_fields_are_required_errors_on_their_nodes(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var flow = await NativeFlow(s, "login");
        var body = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "password" })),
            HttpStatusCode.BadRequest);
        Assert.Equal([4000002], NodeMessageIds(body, "identifier"));
        Assert.Equal([4000002], NodeMessageIds(body, "password"));

        var unknown = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["method"] = "carrier-pigeon" })),
            HttpStatusCode.BadRequest);
        Assert.Equal([4010002], FlowMessageIds(unknown));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Api_flows_refuse_browser_requests(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var flow = await NativeFlow(s, "login");
        var withCookie = PostJson(Action(flow), new JsonObject { ["identifier"] = "a@b.c", ["password"] = "x", ["method"] = "password" });
        withCookie.Headers.Add("Cookie", "something=1");
        var e = await ExpectJson(await s.Public.SendAsync(withCookie), HttpStatusCode.BadRequest);
        Assert.NotNull(e["error"]);
        var withOrigin = PostJson(Action(flow), new JsonObject { ["identifier"] = "a@b.c", ["password"] = "x", ["method"] = "password" });
        withOrigin.Headers.Add("Origin", "https://evil.example");
        await ExpectJson(await s.Public.SendAsync(withOrigin), HttpStatusCode.BadRequest);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Bad_flow_ids_and_bodies_are_client_errors(string dialect)
    {
        await using var s = await StartAsync(dialect);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Public.SendAsync(PostJson("/self-service/login?flow=nope", new JsonObject()))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Public.SendAsync(PostJson("/self-service/login", new JsonObject()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Public.SendAsync(PostJson($"/self-service/login?flow={Guid.NewGuid()}", new JsonObject()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Public.GetAsync($"/self-service/login/flows?id={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Public.GetAsync("/self-service/login/flows?id=x")).StatusCode);
        var flow = await NativeFlow(s, "registration");
        // A registration flow id is not a login flow.
        Assert.Equal(HttpStatusCode.NotFound, (await s.Public.GetAsync($"/self-service/login/flows?id={flow["id"]}")).StatusCode);
        var broken = new HttpRequestMessage(HttpMethod.Post, Action(flow)) { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Public.SendAsync(broken)).StatusCode);
        var traitsNotObject = await s.Public.SendAsync(PostJson(Action(flow), new JsonObject { ["traits"] = "x", ["password"] = "p", ["method"] = "password" }));
        Assert.Equal(HttpStatusCode.BadRequest, traitsNotObject.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Public.GetAsync("/self-service/login/api?refresh=maybe")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Session_already_available_and_refresh(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        var first = await RegisterNative(s, email);
        var token = first["session_token"]!.GetValue<string>();
        var again = new HttpRequestMessage(HttpMethod.Get, "/self-service/login/api");
        again.Headers.Add("X-Session-Token", token);
        var e = await ExpectJson(await s.Public.SendAsync(again), HttpStatusCode.BadRequest);
        Assert.Equal("session_already_available", e["error"]!["id"]!.GetValue<string>());

        var refresh = new HttpRequestMessage(HttpMethod.Get, "/self-service/login/api?refresh=true");
        refresh.Headers.Add("X-Session-Token", token);
        var flow = await ExpectJson(await s.Public.SendAsync(refresh), HttpStatusCode.OK);
        Assert.True(flow["refresh"]!.GetValue<bool>());
        Assert.Equal("hidden", Node(flow, "identifier")!["attributes"]!["type"]!.GetValue<string>());
        Assert.Equal(email, Node(flow, "identifier")!["attributes"]!["value"]!.GetValue<string>());
        var submit = PostJson(Action(flow), new JsonObject { ["identifier"] = email, ["password"] = Password, ["method"] = "password" });
        submit.Headers.Add("X-Session-Token", token);
        var ok = await ExpectJson(await s.Public.SendAsync(submit), HttpStatusCode.OK);
        // Kratos compat: re-authentication refreshes the same session, so the token stays the same.
        Assert.Equal(token, ok["session_token"]!.GetValue<string>());
        Assert.Equal(first["session"]!["id"]!.GetValue<string>(), ok["session"]!["id"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Expired_flow_is_410_with_a_replacement(string dialect)
    {
        await using var s = await StartAsync(dialect, tweak: c => c["selfservice"]!["flows"]!["login"]!["lifespan"] = "1ms");
        var flow = await NativeFlow(s, "login");
        await Task.Delay(20);
        var e = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = "a@b.c", ["password"] = "x", ["method"] = "password",
        })), HttpStatusCode.Gone);
        Assert.Equal("self_service_flow_expired", e["error"]!["id"]!.GetValue<string>());
        var replacement = e["use_flow_id"]!.GetValue<string>();
        Assert.NotEqual(flow["id"]!.GetValue<string>(), replacement);
        Assert.Equal(replacement, e["error"]!["details"]!["use_flow_id"]!.GetValue<string>());
        var get = await s.Public.GetAsync($"/self-service/login/flows?id={flow["id"]}");
        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        // The replacement explains why the user is seeing a new form.
        var fresh = await s.Public.GetAsync($"/self-service/login/flows?id={replacement}");
        Assert.Equal(HttpStatusCode.Gone, fresh.StatusCode); // 1ms lifespan: the replacement expired too
    }
}
