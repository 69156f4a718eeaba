using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.Methods;

/// <summary>The breach check against a local fake of the range API (tests never call the internet).</summary>
public sealed class BreachCheckTests
{
    [Fact]
    public async Task Breached_passwords_are_refused_and_unreachable_hosts_follow_ignore_network_errors()
    {
        const string breached = "Tr0ub4dor&3-breached";
        var sha1 = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(breached)));
        using var fake = new HttpListener();
        var port = Ports.Free();
        fake.Prefixes.Add($"http://127.0.0.1:{port}/");
        fake.Start();
        var requested = new List<string>();
        _ = Task.Run(async () =>
        {
            while (fake.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await fake.GetContextAsync(); } catch { return; }
                lock (requested) requested.Add(ctx.Request.Url!.AbsolutePath);
                var body = Encoding.UTF8.GetBytes($"0000000000000000000000000000000000A:1\r\n{sha1[5..]}:42\r\n");
                ctx.Response.OutputStream.Write(body);
                ctx.Response.Close();
            }
        });

        await using var s = await StartAsync("sqlite", tweak: c => c["selfservice"]!["methods"]!["password"]!["config"] = new JsonObject
        {
            ["haveibeenpwned_enabled"] = true, ["haveibeenpwned_host"] = $"http://127.0.0.1:{port}",
        });
        var flow = await NativeFlow(s, "registration");
        var refused = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["traits.email"] = Email(), ["password"] = breached, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4000034], NodeMessageIds(refused, "password"));
        lock (requested) Assert.Contains("/range/" + sha1[..5], requested);
        await RegisterNative(s, Email()); // a password absent from the range passes

        await using var down = await StartAsync("sqlite", tweak: c => c["selfservice"]!["methods"]!["password"]!["config"] = new JsonObject
        {
            ["haveibeenpwned_enabled"] = true, ["haveibeenpwned_host"] = $"http://127.0.0.1:{Ports.Free()}", ["ignore_network_errors"] = false,
        });
        var f2 = await NativeFlow(down, "registration");
        var unreachable = await ExpectJson(await down.Public.SendAsync(PostJson(Action(f2), new JsonObject
        {
            ["traits.email"] = Email(), ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4000005], NodeMessageIds(unreachable, "password"));
        fake.Stop();
    }
}
