using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Tests.SelfService;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.Http;

/// <summary>
/// Secrets never reach logs: with every log level on, a registration, a failed and a successful login, whoami,
/// an admin import and a logout leave no password, token or hash in any log line.
/// </summary>
public sealed class NoSecretsInLogsTests
{
    private sealed class Capture : ILoggerProvider
    {
        public readonly ConcurrentQueue<string> Lines = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(Capture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format) =>
                owner.Lines.Enqueue($"{level} {category}: {format(state, e)} {e}");
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Passwords_tokens_and_hashes_are_never_logged(string dialect)
    {
        var capture = new Capture();
        await using var s = await TestServer.StartAsync(dialect, SelfServiceHarness.Config(), logging: b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        var email = Email();
        var registered = await RegisterNative(s, email);
        var token = registered["session_token"]!.GetValue<string>();

        const string wrong = "Not-the-password-4711";
        var login = await NativeFlow(s, "login");
        var failed = await s.Public.SendAsync(PostJson(Action(login), new JsonObject { ["method"] = "password", ["identifier"] = email, ["password"] = wrong }));
        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        login = await NativeFlow(s, "login");
        var ok = await ExpectJson(await s.Public.SendAsync(PostJson(Action(login), new JsonObject { ["method"] = "password", ["identifier"] = email, ["password"] = Password })), HttpStatusCode.OK);
        var token2 = ok["session_token"]!.GetValue<string>();

        var whoami = new HttpRequestMessage(HttpMethod.Get, "/sessions/whoami");
        whoami.Headers.Add("X-Session-Token", token2);
        Assert.Equal(HttpStatusCode.OK, (await s.Public.SendAsync(whoami)).StatusCode);

        const string imported = "Imported-secret-pw-0815";
        var create = await s.Admin.PostAsync("/admin/identities", new StringContent(new JsonObject
        {
            ["schema_id"] = "person",
            ["traits"] = new JsonObject { ["email"] = Email() },
            ["credentials"] = new JsonObject { ["password"] = new JsonObject { ["config"] = new JsonObject { ["password"] = imported } } },
        }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var id = JsonNode.Parse(await create.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var withHash = JsonNode.Parse(await s.Admin.GetStringAsync($"/admin/identities/{id}?include_credential=password"))!;
        var hash = withHash["credentials"]!["password"]!["config"]!["hashed_password"]!.GetValue<string>();

        var logout = new HttpRequestMessage(HttpMethod.Delete, "/self-service/logout/api")
        {
            Content = new StringContent(new JsonObject { ["session_token"] = token }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await s.Public.SendAsync(logout)).StatusCode);

        Assert.NotEmpty(capture.Lines);
        foreach (var secret in new[] { Password, wrong, imported, token, token2, hash })
            Assert.DoesNotContain(capture.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }
}
