using System.Net;
using System.Text.Json.Nodes;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.Sessions;

/// <summary>Kratos compat: <c>refresh=true</c> logins re-authenticate the current session instead of issuing another.</summary>
public sealed class RefreshLoginTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Native_refresh_keeps_the_session_id_and_token_and_moves_authenticated_at(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        var registered = await RegisterNative(s, email);
        var token = registered["session_token"]!.GetValue<string>();
        var before = registered["session"]!.AsObject();

        var create = new HttpRequestMessage(HttpMethod.Get, "/self-service/login/api?refresh=true");
        create.Headers.Add("X-Session-Token", token);
        var flow = await ExpectJson(await s.Public.SendAsync(create), HttpStatusCode.OK);
        var submit = PostJson(Action(flow), new JsonObject { ["identifier"] = email, ["password"] = Password, ["method"] = "password" });
        submit.Headers.Add("X-Session-Token", token);
        submit.Headers.UserAgent.ParseAdd("OtherDevice/2.0");
        var ok = await ExpectJson(await s.Public.SendAsync(submit), HttpStatusCode.OK);

        Assert.Equal(token, ok["session_token"]!.GetValue<string>());
        var after = ok["session"]!.AsObject();
        Assert.Equal(before["id"]!.GetValue<string>(), after["id"]!.GetValue<string>());
        Assert.True(Time(after["authenticated_at"]) > Time(before["authenticated_at"]));
        Assert.True(Time(after["expires_at"]) > Time(before["expires_at"]));
        // The same method again replaces its entry, so the list does not grow with every refresh.
        Assert.Equal("password", Assert.Single(after["authentication_methods"]!.AsArray())!["method"]!.GetValue<string>());
        Assert.Contains(after["devices"]!.AsArray(), d => d!["user_agent"]?.GetValue<string>() == "OtherDevice/2.0");

        // The old token is the refreshed session: whoami agrees, and no second session exists.
        var who = new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami");
        who.Headers.Add("X-Session-Token", token);
        var current = await ExpectJson(await s.Public.SendAsync(who), HttpStatusCode.OK);
        Assert.Equal(after["authenticated_at"]!.GetValue<string>(), current["authenticated_at"]!.GetValue<string>());
        await using var c = await s.Service<Warden.Persistence.Database>().OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sessions"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Browser_refresh_keeps_the_session_and_rewrites_the_cookie(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var browser = s.BrowserClient();
        var email = Email();
        var reg = await SpaFlow(browser, "registration");
        var registered = await ExpectJson(await browser.SendAsync(PostJson(Action(reg), new JsonObject
        {
            ["traits.email"] = email, ["password"] = Password, ["method"] = "password", ["csrf_token"] = Csrf(reg),
        })), HttpStatusCode.OK);
        var id = registered["session"]!["id"]!.GetValue<string>();

        var flow = await SpaFlow(browser, "login", "?refresh=true");
        Assert.True(flow["refresh"]!.GetValue<bool>());
        var r = await browser.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = Password, ["method"] = "password", ["csrf_token"] = Csrf(flow),
        }));
        var ok = await ExpectJson(r, HttpStatusCode.OK);
        Assert.Equal(id, ok["session"]!["id"]!.GetValue<string>());
        Assert.NotNull(SetCookie(r, "ory_kratos_session="));
        Assert.True(Time(ok["session"]!["authenticated_at"]) > Time(registered["session"]!["authenticated_at"]));

        var who = await ExpectJson(await browser.SendAsync(Get("/sessions/whoami", json: true)), HttpStatusCode.OK);
        Assert.Equal(id, who["id"]!.GetValue<string>());
    }

    private static DateTime Time(JsonNode? node) =>
        DateTime.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
}
