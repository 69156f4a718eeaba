using System.Net;
using System.Text.Json.Nodes;
using Warden.Identities;
using Warden.Tests.Support;
using Xunit;
using static Warden.Tests.SelfService.SelfServiceHarness;

namespace Warden.Tests.Methods;

public sealed class PasswordLoginTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Imported_hash_is_replaced_by_the_configured_algorithm_after_login(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        var identities = s.Service<IdentityService>();
        const string imported = "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI";
        var created = await identities.CreateAsync(new Identity
        {
            SchemaId = "person",
            Traits = new JsonObject { ["email"] = email },
            Credentials = { ["password"] = new Credential { Type = "password", Config = new JsonObject { ["hashed_password"] = imported } } },
        });
        var flow = await NativeFlow(s, "login");
        await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = "test", ["method"] = "password",
        })), HttpStatusCode.OK);
        var after = await identities.GetAsync(created.Id, includeCredentials: true);
        var hash = after!.Credentials["password"].Config["hashed_password"]!.GetValue<string>();
        Assert.NotEqual(imported, hash);
        Assert.StartsWith("$2", hash);
        // And the new hash works.
        var again = await NativeFlow(s, "login");
        await ExpectJson(await s.Public.SendAsync(PostJson(Action(again), new JsonObject
        {
            ["identifier"] = email, ["password"] = "test", ["method"] = "password",
        })), HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Inactive_identity_cannot_sign_in(string dialect)
    {
        await using var s = await StartAsync(dialect);
        var email = Email();
        var id = (await RegisterNative(s, email))["identity"]!["id"]!.GetValue<string>();
        var identities = s.Service<IdentityService>();
        var identity = (await identities.GetAsync(Guid.Parse(id)))!;
        identity.State = "inactive";
        await identities.UpdateAsync(identity);
        var flow = await NativeFlow(s, "login");
        var body = await ExpectJson(await s.Public.SendAsync(PostJson(Action(flow), new JsonObject
        {
            ["identifier"] = email, ["password"] = Password, ["method"] = "password",
        })), HttpStatusCode.BadRequest);
        Assert.Equal([4010011], FlowMessageIds(body));
    }
}
