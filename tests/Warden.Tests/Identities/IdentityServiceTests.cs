using System.Text.Json.Nodes;
using Warden.Hashing;
using Warden.Identities;
using Warden.Persistence;
using Warden.Schemas;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Identities;

/// <summary>The service as self-service flows use it (built-in default schema: e-mail for password and code).</summary>
public sealed class IdentityServiceTests
{
    private const string BcryptOfPassword = "$2a$04$LgDVyNx2JrZl6LrECvlQXOBDCl5/TYnkpqZxJ9oUSqW3O1T0nYnti";

    private static Identity New(string email) => new()
    {
        Traits = new JsonObject { ["email"] = email },
        Credentials = { ["password"] = new Credential { Type = "password", Config = new JsonObject { ["hashed_password"] = BcryptOfPassword } } },
    };

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task New_rows_get_time_ordered_ids_so_identities_list_in_creation_order(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var service = new IdentityService(new IdentityStore(db), IdentitySchemas.BuiltIn(), new PasswordHasher());
        var created = new List<Identity>();
        for (var n = 0; n < 12; n++) created.Add(await service.CreateAsync(New($"order{n}@example.org")));

        // UUID version 7 (RFC 9562) for the identity and every row written with it.
        Assert.All(created, i => Assert.Equal(7, i.Id.Version));
        Assert.All(created, i => Assert.All(i.Credentials.Values, c => Assert.Equal(7, c.Id.Version)));
        Assert.All(created, i => Assert.Equal(7, Assert.Single(i.VerifiableAddresses).Id.Version));
        // The database's own order of the ids is the order of creation (random ids would agree with it only by chance).
        var listed = await new IdentityStore(db).ListAsync(new IdentityQuery { PageSize = 100 });
        Assert.Equal(created.Select(i => i.Id), listed.Items.Select(i => i.Id));
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Flows_create_find_update_and_deactivate(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var service = new IdentityService(new IdentityStore(db), IdentitySchemas.BuiltIn(), new PasswordHasher());
        var created = await service.CreateAsync(New("Flow@Example.org"));
        Assert.Equal("default", created.SchemaId);
        Assert.Equal(["flow@example.org"], created.Credentials["password"].Identifiers);
        // The default schema also makes the address a code identifier, with Kratos' code config.
        Assert.Equal("""{"addresses":[{"channel":"email","address":"flow@example.org"}]}""", created.Credentials["code"].Config.ToJsonString());

        var found = await service.FindByCredentialIdentifierAsync("password", "  FLOW@example.org ");
        Assert.Equal(created.Id, found!.Id);
        Assert.Equal(BcryptOfPassword, found.Credentials["password"].Config["hashed_password"]!.GetValue<string>());
        Assert.Null(await service.FindByCredentialIdentifierAsync("password", "nobody@example.org"));

        await Assert.ThrowsAsync<DuplicateIdentifierException>(() => service.CreateAsync(New("flow@EXAMPLE.org")));
        var invalid = await Assert.ThrowsAsync<TraitValidationException>(() => service.CreateAsync(New("x")));
        Assert.Contains(invalid.Errors, e => e.Path == "traits.email");

        // Settings-style update: traits changed on the loaded identity (without credentials); credentials survive.
        var loaded = (await service.GetAsync(created.Id))!;
        Assert.Empty(loaded.Credentials);
        loaded.Traits = new JsonObject { ["email"] = "moved@example.org" };
        loaded.State = "inactive";
        await IdentityStoreTests.InsertSessionAsync(db, created.Id);
        var updated = await service.UpdateAsync(loaded);
        Assert.Equal(["moved@example.org"], updated.Credentials["password"].Identifiers);
        Assert.Equal("pending", Assert.Single(updated.VerifiableAddresses).Status);
        var again = (await service.GetAsync(created.Id, includeCredentials: true))!;
        Assert.Equal(BcryptOfPassword, again.Credentials["password"].Config["hashed_password"]!.GetValue<string>());
        Assert.Equal("inactive", again.State);
        await using (var c = await db.OpenAsync())
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sessions WHERE active = @a", new { a = true }));
        Assert.Null(await service.FindByCredentialIdentifierAsync("password", "flow@example.org"));

        await db.InTransactionAsync((c, tx) => service.UpdateCredentialConfigAsync(c, tx, created.Id, "password", new JsonObject { ["hashed_password"] = "$2a$04$new" }));
        Assert.Equal("$2a$04$new", (await service.GetAsync(created.Id, true))!.Credentials["password"].Config["hashed_password"]!.GetValue<string>());

        var ghost = New("ghost@example.org");
        ghost.Id = Guid.NewGuid();
        Assert.Equal(404, (await Assert.ThrowsAsync<Warden.Http.ApiException>(() => service.UpdateAsync(ghost))).Code);
    }
}
