using Microsoft.Extensions.Logging.Abstractions;
using Warden.Persistence;
using Warden.Sessions;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.Sessions.SessionTestData;

namespace Warden.Tests.Sessions;

public sealed class SessionStoreTests
{
    private static readonly string[] SecretA = ["secret-A-0123456789abcdef"];

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Issued_session_is_found_by_header_bearer_and_cookie(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var identity = await InsertIdentityAsync(db);
        var manager = Manager(db, TestConfig(Secrets(SecretA)));
        var issued = await manager.IssueAsync(identity, [Password], Device);

        Assert.Matches("^ory_st_[A-Za-z0-9]{32}$", issued.Token);
        Assert.Matches("^ory_lo_[A-Za-z0-9]{32}$", issued.LogoutToken);
        Assert.Equal(issued.IssuedAt + TimeSpan.FromHours(24), issued.ExpiresAt);

        var cookie = WrittenCookie(manager, issued).Pair;
        foreach (var request in new[] { Request(header: issued.Token), Request(bearer: issued.Token), Request(cookie: cookie) })
        {
            var found = await manager.FromRequestAsync(request);
            Assert.NotNull(found);
            Assert.Equal(issued.Id, found.Id);
            Assert.Equal(identity.Id, found.Identity!.Id);
            Assert.Equal("alice@example.org", found.Identity.Traits["email"]!.GetValue<string>());
            Assert.Single(found.Identity.VerifiableAddresses);
            Assert.Single(found.Identity.RecoveryAddresses);
            Assert.Equal(issued.ExpiresAt, found.ExpiresAt);
            Assert.Equal(issued.AuthenticatedAt, found.AuthenticatedAt);
            Assert.Equal("aal1", found.Aal);
            Assert.Equal("password", Assert.Single(found.AuthenticationMethods).Method);
            var device = Assert.Single(found.Devices);
            Assert.Equal("203.0.113.7", device.IpAddress);
            Assert.Equal("TestAgent/1.0", device.UserAgent);
            Assert.Null(found.Token);
        }
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Tokens_are_stored_only_as_keyed_hashes(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var manager = Manager(db, TestConfig(Secrets(SecretA)));
        var issued = await manager.IssueAsync(await InsertIdentityAsync(db), [Password], Device);

        await using var c = await db.OpenAsync();
        var rows = await c.QueryAsync<Dictionary<string, object?>>("SELECT * FROM sessions");
        var text = string.Join("|", rows.SelectMany(r => r.Values).Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain("ory_st_", text);
        Assert.DoesNotContain("ory_lo_", text);
        Assert.DoesNotContain(issued.Token![7..], text);
        Assert.DoesNotContain(issued.LogoutToken![7..], text);
        // Not a plain digest either: without the key the stored value cannot be recomputed.
        var plain = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(issued.Token)));
        Assert.DoesNotContain(plain, text);
        Assert.Matches("^[0-9a-f]{64}$", (string)rows.Single()["token_hash"]!);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Expired_revoked_and_identity_inactive_sessions_are_not_found(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var manager = Manager(db, TestConfig(Secrets(SecretA)));
        var identity = await InsertIdentityAsync(db);

        var expired = await manager.IssueAsync(identity, [Password], Device);
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync("UPDATE sessions SET expires_at = @t WHERE id = @id", new { t = DateTime.UtcNow.AddMinutes(-1), id = expired.Id });
        Assert.Null(await manager.FromRequestAsync(Request(header: expired.Token)));

        var revoked = await manager.IssueAsync(identity, [Password], Device);
        Assert.NotNull(await manager.FromRequestAsync(Request(header: revoked.Token)));
        await manager.RevokeAsync(revoked.Id);
        Assert.Null(await manager.FromRequestAsync(Request(header: revoked.Token)));

        var other = await manager.IssueAsync(identity, [Password], Device);
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync("UPDATE identities SET state = 'inactive' WHERE id = @id", new { id = identity.Id });
        Assert.Null(await manager.FromRequestAsync(Request(header: other.Token)));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Revoke_by_token_reports_unknown_tokens(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var manager = Manager(db, TestConfig(Secrets(SecretA)));
        var issued = await manager.IssueAsync(await InsertIdentityAsync(db), [Password], Device);

        Assert.False(await manager.RevokeByTokenAsync("ory_st_" + new string('a', 32)));
        Assert.False(await manager.RevokeByTokenAsync("not-a-token"));
        Assert.True(await manager.RevokeByTokenAsync(issued.Token!));
        Assert.Null(await manager.FromRequestAsync(Request(header: issued.Token)));
        // Revoking again is still "known": Kratos answers 204 for an already revoked token.
        Assert.True(await manager.RevokeByTokenAsync(issued.Token!));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Rotated_secrets_keep_sessions_and_cookies_valid(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var identity = await InsertIdentityAsync(db);
        var before = Manager(db, TestConfig(Secrets(SecretA, ["cookie-A-0123456789abcdef"])));
        var issued = await before.IssueAsync(identity, [Password], Device);
        var cookie = WrittenCookie(before, issued).Pair;

        var rotated = Manager(db, TestConfig(Secrets(["secret-B-0123456789abcdef", SecretA[0]], ["cookie-B-0123456789abcdef", "cookie-A-0123456789abcdef"])));
        Assert.Equal(issued.Id, (await rotated.FromRequestAsync(Request(header: issued.Token)))?.Id);
        Assert.Equal(issued.Id, (await rotated.FromRequestAsync(Request(cookie: cookie)))?.Id);

        var retired = Manager(db, TestConfig(Secrets(["secret-B-0123456789abcdef"], ["cookie-B-0123456789abcdef"])));
        Assert.Null(await retired.FromRequestAsync(Request(header: issued.Token)));
        Assert.Null(await retired.FromRequestAsync(Request(cookie: cookie)));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Without_configured_secrets_a_generated_secret_is_persisted_and_shared(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var identity = await InsertIdentityAsync(db);
        var first = Manager(db, TestConfig());
        var issued = await first.IssueAsync(identity, [Password], Device);
        var cookie = WrittenCookie(first, issued).Pair;

        // A second instance (or the same one after a restart) reads the same secret.
        var second = Manager(db, TestConfig());
        Assert.Equal(issued.Id, (await second.FromRequestAsync(Request(cookie: cookie)))?.Id);
        await using var c = await db.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM warden_secrets"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Generated_keys_are_read_synchronously_only_once_loaded(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var keys = new SessionKeys(TestConfig(), db, NullLogger<SessionKeys>.Instance);
        // No synchronous wait for the database: before the first GetAsync there is nothing to read.
        Assert.Throws<InvalidOperationException>(() => keys.Current);
        var ring = await keys.GetAsync();
        Assert.Same(ring, keys.Current);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Long_user_agents_are_truncated_to_the_column(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var manager = Manager(db, TestConfig(Secrets(SecretA)));
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers.UserAgent = new string('x', 2000);
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("::ffff:198.51.100.4");
        var issued = await manager.IssueAsync(await InsertIdentityAsync(db), [Password], manager.Device(context));
        var found = await manager.FromRequestAsync(Request(header: issued.Token));
        var device = Assert.Single(found!.Devices);
        Assert.Equal(512, device.UserAgent!.Length);
        Assert.Equal("198.51.100.4", device.IpAddress);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Issue_joins_the_callers_transaction(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var manager = Manager(db, TestConfig(Secrets(SecretA)));
        var identity = await InsertIdentityAsync(db);
        await using (var c = await db.OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await manager.IssueAsync(identity, [Password], Device, c, tx);
            await tx.RollbackAsync();
        }
        await using var check = await db.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sessions"));
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM session_devices"));
    }
}
