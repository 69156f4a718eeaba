using System.Net;
using System.Text.Json.Nodes;
using Warden.Courier;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Courier;

/// <summary>listCourierMessages / getCourierMessage over HTTP on both databases, and the worker inside serve.</summary>
public sealed class CourierAdminTests
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> GetAsync(TestServer server, string path)
    {
        var response = await server.Admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, response);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Lists_with_keyset_paging_and_filters_and_gets_one_with_dispatches(string dialect)
    {
        await using var server = await TestServer.StartAsync(dialect);
        var outbox = server.Service<Outbox>();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
            ids.Add(await outbox.EnqueueEmailAsync($"list{i % 2}@example.org", "verification_code_valid", new JsonObject { ["VerificationCode"] = $"00000{i}" }));

        var (status, body, response) = await GetAsync(server, "/admin/courier/messages?page_size=2");
        Assert.Equal(HttpStatusCode.OK, status);
        var page1 = body!.AsArray();
        Assert.Equal(2, page1.Count);
        // Newest first.
        Assert.Equal(ids[4].ToString(), page1[0]!["id"]!.GetValue<string>());
        var first = page1[0]!.AsObject();
        foreach (var key in new[] { "id", "status", "type", "recipient", "body", "subject", "template_type", "send_count", "created_at", "updated_at" })
            Assert.True(first.ContainsKey(key), key);
        Assert.Equal(("queued", "email", "verification_code_valid"), (first["status"]!.GetValue<string>(), first["type"]!.GetValue<string>(), first["template_type"]!.GetValue<string>()));

        var links = response.Headers.GetValues("Link").ToList();
        Assert.Contains(links, l => l.EndsWith("rel=\"first\""));
        var next = links.Single(l => l.EndsWith("rel=\"next\""));
        var seen = page1.Select(n => n!["id"]!.GetValue<string>()).ToList();
        var url = new Uri(next[1..next.IndexOf('>')]);
        while (true)
        {
            var (_, pageBody, pageResponse) = await GetAsync(server, url.PathAndQuery);
            seen.AddRange(pageBody!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
            var more = pageResponse.Headers.GetValues("Link").SingleOrDefault(l => l.EndsWith("rel=\"next\""));
            if (more is null) break;
            url = new Uri(more[1..more.IndexOf('>')]);
        }
        Assert.Equal(ids.AsEnumerable().Reverse().Select(i => i.ToString()), seen);

        var (_, filtered, _) = await GetAsync(server, "/admin/courier/messages?recipient=list1@example.org&status=queued");
        Assert.Equal(2, filtered!.AsArray().Count);
        Assert.All(filtered.AsArray(), n => Assert.Equal("list1@example.org", n!["recipient"]!.GetValue<string>()));
        var (_, none, _) = await GetAsync(server, "/admin/courier/messages?status=sent");
        Assert.Empty(none!.AsArray());

        // A failed attempt shows up as a dispatch of the message.
        var store = server.Service<CourierStore>();
        var claimed = await store.ClaimAsync("test-worker", ["email"], 1, TimeSpan.FromMinutes(1));
        await store.MarkFailedAsync(claimed[0].Id, "test-worker", new JsonObject { ["message"] = "smtp: down" }.ToJsonString(), 5, TimeSpan.Zero, abandon: false);
        var (getStatus, one, _) = await GetAsync(server, $"/admin/courier/messages/{claimed[0].Id}");
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(1, one!["send_count"]!.GetValue<int>());
        var dispatch = Assert.Single(one["dispatches"]!.AsArray())!;
        Assert.Equal(("failed", claimed[0].Id.ToString(), "smtp: down"),
            (dispatch["status"]!.GetValue<string>(), dispatch["message_id"]!.GetValue<string>(), dispatch["error"]!["message"]!.GetValue<string>()));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Bad_ids_filters_and_tokens_are_kratos_errors(string dialect)
    {
        await using var server = await TestServer.StartAsync(dialect);
        var (status, body, _) = await GetAsync(server, "/admin/courier/messages/not-a-uuid");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("uuid: incorrect UUID length 10 in string \"not-a-uuid\"", body!["error"]!["message"]!.GetValue<string>());
        Assert.Equal(400, body["error"]!["code"]!.GetValue<int>());

        (status, body, _) = await GetAsync(server, $"/admin/courier/messages/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Unable to locate the resource", body!["error"]!["message"]!.GetValue<string>());

        foreach (var query in new[] { "status=bogus", "page_size=0", "page_size=x", "page_token=%%%", "page_token=bm90LWpzb24" })
        {
            (status, body, _) = await GetAsync(server, "/admin/courier/messages?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(400, body!["error"]!["code"]!.GetValue<int>());
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task The_worker_inside_serve_delivers_queued_mail(string dialect)
    {
        await using var smtp = await SmtpServer.StartAsync();
        var config = new JsonObject
        {
            ["courier"] = new JsonObject
            {
                ["smtp"] = new JsonObject { ["connection_uri"] = smtp.ConnectionUri, ["from_address"] = "accounts@warden.test", ["from_name"] = "Accounts" },
                ["worker"] = new JsonObject { ["pull_wait"] = "100ms" },
            },
        };
        await using var server = await TestServer.StartAsync(dialect, config);
        var id = await server.Service<Outbox>().EnqueueEmailAsync("serve@example.org", "login_code_valid", new JsonObject { ["LoginCode"] = "777123" });
        var mail = await smtp.WaitForMessageAsync("serve@example.org");
        Assert.Contains("777123", mail.Text);
        Assert.Equal("Accounts <accounts@warden.test>", mail.From);
        // Marked sent right after the server accepted it; poll the admin API (bounded, not a timing assertion).
        for (var i = 0; i < 600; i++)
        {
            var (_, body, _) = await GetAsync(server, $"/admin/courier/messages/{id}");
            if (body!["status"]!.GetValue<string>() == "sent") return;
            await Task.Delay(50);
        }
        Assert.Fail("the delivered message was never marked sent");
    }
}
