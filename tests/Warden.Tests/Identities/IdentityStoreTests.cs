using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.Persistence;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Identities;

/// <summary>The store on both databases, without schemas or hashing: identities are built by hand here.</summary>
public sealed class IdentityStoreTests
{
    internal static Identity Make(string email, string? externalId = null, Guid? org = null)
    {
        var t = DateTime.UtcNow;
        var now = t.AddTicks(-(t.Ticks % 10)); // microseconds: what both databases keep
        return new Identity
        {
            Id = Guid.NewGuid(),
            SchemaId = "default",
            Traits = new JsonObject { ["email"] = email },
            ExternalId = externalId,
            OrganizationId = org,
            MetadataPublic = new JsonObject { ["plan"] = "free" },
            MetadataAdmin = new JsonArray(1, 2),
            StateChangedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
            Credentials =
            {
                ["password"] = new Credential
                {
                    Type = "password", Identifiers = [email], Config = new JsonObject { ["hashed_password"] = "$2a$04$x" },
                    Version = 1, CreatedAt = now, UpdatedAt = now,
                },
            },
            VerifiableAddresses = [new VerifiableAddress { Value = email, Status = "pending", CreatedAt = now, UpdatedAt = now }],
            RecoveryAddresses = [new RecoveryAddress { Value = email, CreatedAt = now, UpdatedAt = now }],
        };
    }

    private static async Task<int> CountAsync(Database db, string table)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}");
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Inserted_identity_reads_back_with_everything(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        var i = Make("a@example.org", "ext-1", Guid.NewGuid());
        await store.InsertAsync(i);

        var got = await store.GetAsync(i.Id, withCredentials: true);
        Assert.NotNull(got);
        Assert.Equal(i.SchemaId, got.SchemaId);
        Assert.True(JsonNode.DeepEquals(i.Traits, got.Traits));
        Assert.True(JsonNode.DeepEquals(i.MetadataPublic, got.MetadataPublic));
        Assert.True(JsonNode.DeepEquals(i.MetadataAdmin, got.MetadataAdmin));
        Assert.Equal("ext-1", got.ExternalId);
        Assert.Equal(i.OrganizationId, got.OrganizationId);
        Assert.Equal(i.CreatedAt, got.CreatedAt);
        Assert.Equal(i.StateChangedAt, got.StateChangedAt);
        var cred = Assert.Single(got.Credentials).Value;
        Assert.Equal(["a@example.org"], cred.Identifiers);
        Assert.Equal("$2a$04$x", cred.Config["hashed_password"]!.GetValue<string>());
        Assert.Equal(1, cred.Version);
        var va = Assert.Single(got.VerifiableAddresses);
        Assert.Equal((i.VerifiableAddresses[0].Id, "a@example.org", false, "pending"), (va.Id, va.Value, va.Verified, va.Status));
        Assert.Equal(i.RecoveryAddresses[0].Id, Assert.Single(got.RecoveryAddresses).Id);

        var bare = await store.GetAsync(i.Id, withCredentials: false);
        Assert.Empty(bare!.Credentials);
        Assert.Single(bare.VerifiableAddresses);
        Assert.Equal(i.Id, (await store.GetByExternalIdAsync("ext-1", false))!.Id);
        Assert.Null(await store.GetAsync(Guid.NewGuid(), true));
        Assert.Equal(i.Id, (await store.FindByIdentifierAsync("password", ["nope", "a@example.org"]))!.Id);
        Assert.Null(await store.FindByIdentifierAsync("code", ["a@example.org"]));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task A_duplicate_identifier_in_the_middle_leaves_nothing_behind(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        await store.InsertAsync(Make("taken@example.org"));

        var second = Make("fresh@example.org");
        // The second identifier collides after the identity row, its credential and a first identifier were written.
        second.Credentials["password"].Identifiers = ["fresh@example.org", "taken@example.org"];
        var e = await Assert.ThrowsAsync<DuplicateIdentifierException>(() => store.InsertAsync(second));
        Assert.Equal(DuplicateKind.Identifier, e.Kind);
        Assert.Equal("password", e.CredentialType);
        Assert.Equal("taken@example.org", e.Identifier);
        Assert.Null(await store.GetAsync(second.Id, true));
        Assert.Equal(1, await CountAsync(db, "identities"));
        Assert.Equal(1, await CountAsync(db, "identity_credentials"));
        Assert.Equal(1, await CountAsync(db, "identity_credential_identifiers"));
        Assert.Equal(1, await CountAsync(db, "identity_verifiable_addresses"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task External_id_and_addresses_are_unique_too(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        await store.InsertAsync(Make("one@example.org", "ext"));
        var e = await Assert.ThrowsAsync<DuplicateIdentifierException>(() => store.InsertAsync(Make("two@example.org", "ext")));
        Assert.Equal(DuplicateKind.IdentityRow, e.Kind);

        var sameAddress = Make("three@example.org");
        sameAddress.VerifiableAddresses[0].Value = "one@example.org";
        var a = await Assert.ThrowsAsync<DuplicateIdentifierException>(() => store.InsertAsync(sameAddress));
        Assert.Equal(DuplicateKind.VerifiableAddress, a.Kind);
        Assert.Equal(1, await CountAsync(db, "identities"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Concurrent_creates_of_one_identifier_have_exactly_one_winner(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        var start = new TaskCompletionSource();
        var tasks = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await store.InsertAsync(Make("race@example.org"));
                return true;
            }
            catch (DuplicateIdentifierException)
            {
                return false;
            }
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(tasks);
        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(1, await CountAsync(db, "identities"));
        Assert.Equal(1, await CountAsync(db, "identity_credential_identifiers"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Replace_rewrites_identifiers_and_keeps_ids_of_what_stayed(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        var i = Make("old@example.org");
        await store.InsertAsync(i);
        var stored = (await store.GetAsync(i.Id, true))!;
        var credId = stored.Credentials["password"].Id;

        stored.Traits = new JsonObject { ["email"] = "new@example.org" };
        stored.Credentials["password"].Identifiers = ["new@example.org"];
        stored.Credentials["totp"] = new Credential { Type = "totp", Config = new JsonObject { ["totp_url"] = "otpauth://x" }, CreatedAt = i.CreatedAt, UpdatedAt = i.UpdatedAt };
        stored.VerifiableAddresses.Add(new VerifiableAddress { Value = "new@example.org", Status = "pending", CreatedAt = i.CreatedAt, UpdatedAt = i.UpdatedAt });
        await db.InTransactionAsync((c, tx) => store.ReplaceAsync(c, tx, stored, ["password"], endSessions: false));

        var got = (await store.GetAsync(i.Id, true))!;
        Assert.Equal("new@example.org", got.Traits["email"]!.GetValue<string>());
        Assert.Equal(credId, got.Credentials["password"].Id);
        Assert.Equal(["new@example.org"], got.Credentials["password"].Identifiers);
        Assert.Equal("otpauth://x", got.Credentials["totp"].Config["totp_url"]!.GetValue<string>());
        Assert.Contains(got.VerifiableAddresses, a => a.Id == i.VerifiableAddresses[0].Id);
        Assert.Equal(2, got.VerifiableAddresses.Count);

        // The old identifier is free again; the new one is taken (addresses left out: only identifiers matter here).
        var reuse = Make("old@example.org");
        reuse.VerifiableAddresses.Clear();
        reuse.RecoveryAddresses.Clear();
        await store.InsertAsync(reuse);
        var clash = Make("new@example.org");
        clash.VerifiableAddresses.Clear();
        clash.RecoveryAddresses.Clear();
        Assert.Equal(DuplicateKind.Identifier, (await Assert.ThrowsAsync<DuplicateIdentifierException>(() => store.InsertAsync(clash))).Kind);

        // Credentials not in the new set are deleted.
        got.Credentials.Remove("totp");
        await db.InTransactionAsync((c, tx) => store.ReplaceAsync(c, tx, got, ["password", "totp"], endSessions: false));
        Assert.Equal(["password"], (await store.GetAsync(i.Id, true))!.Credentials.Keys);
        Assert.False(await db.InTransactionAsync((c, tx) => store.ReplaceAsync(c, tx, Make("ghost@example.org"), [], false)));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Ending_sessions_and_deleting_cascade_to_sessions(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        var i = Make("s@example.org");
        await store.InsertAsync(i);
        await InsertSessionAsync(db, i.Id);
        await InsertSessionAsync(db, i.Id);

        await db.InTransactionAsync((c, tx) => store.ReplaceAsync(c, tx, i, ["password"], endSessions: true));
        await using (var c = await db.OpenAsync())
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sessions WHERE active = @a", new { a = true }));
        Assert.Equal(2, await CountAsync(db, "sessions"));

        Assert.True(await store.DeleteAsync(i.Id));
        Assert.False(await store.DeleteAsync(i.Id));
        Assert.Equal(0, await CountAsync(db, "sessions"));
        Assert.Equal(0, await CountAsync(db, "identity_credential_identifiers"));
        Assert.Equal(0, await CountAsync(db, "identity_verifiable_addresses"));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Credential_config_updates_inside_a_callers_transaction(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        var i = Make("r@example.org");
        await store.InsertAsync(i);
        var ok = await db.InTransactionAsync((c, tx) =>
            IdentityStore.UpdateCredentialConfigAsync(c, tx, i.Id, "password", new JsonObject { ["hashed_password"] = "$argon2id$new" }, DateTime.UtcNow));
        Assert.True(ok);
        Assert.Equal("$argon2id$new", (await store.GetAsync(i.Id, true))!.Credentials["password"].Config["hashed_password"]!.GetValue<string>());
        Assert.False(await db.InTransactionAsync((c, tx) =>
            IdentityStore.UpdateCredentialConfigAsync(c, tx, i.Id, "totp", new JsonObject(), DateTime.UtcNow)));
    }

    internal static async Task InsertSessionAsync(Database db, Guid identityId)
    {
        await using var c = await db.OpenAsync();
        var now = DateTime.UtcNow;
        await c.ExecuteAsync(
            """
            INSERT INTO sessions (id, nid, identity_id, token_hash, logout_token_hash, active, aal, authentication_methods,
                authenticated_at, issued_at, expires_at, created_at, updated_at)
            VALUES (@id, @nid, @identityId, @t, @l, @active, 'aal1', '[]', @now, @now, @exp, @now, @now)
            """,
            new { id = Guid.NewGuid(), nid = Database.DefaultNetworkId, identityId, t = Guid.NewGuid().ToString(), l = Guid.NewGuid().ToString(), active = true, now, exp = now.AddHours(1) });
    }
}
