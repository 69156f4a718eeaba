using System.Diagnostics;
using Warden.Identities;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Identities;

public sealed class IdentityListTests
{
    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Keyset_pages_cover_every_identity_once_in_id_order(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        var ids = new List<Guid>();
        for (var n = 0; n < 7; n++)
        {
            var i = IdentityStoreTests.Make($"user{n}@example.org");
            await store.InsertAsync(i);
            ids.Add(i.Id);
        }
        var seen = new List<Guid>();
        Guid? after = null;
        var pages = 0;
        while (true)
        {
            var page = await store.ListAsync(new IdentityQuery { PageSize = 3, After = after });
            pages++;
            seen.AddRange(page.Items.Select(i => i.Id));
            Assert.All(page.Items, i => Assert.Single(i.VerifiableAddresses));
            Assert.All(page.Items, i => Assert.Empty(i.Credentials));
            if (!page.HasMore) break;
            after = page.Items[^1].Id;
        }
        Assert.Equal(3, pages);
        Assert.Equal(ids.Order().ToList(), seen);

        var offset = await store.ListAsync(new IdentityQuery { PageSize = 3, Offset = 6 });
        Assert.Equal(ids.Order().Last(), Assert.Single(offset.Items).Id);
        Assert.False(offset.HasMore);
    }

    [Theory, MemberData(nameof(TestDb.Both), MemberType = typeof(TestDb))]
    public async Task Filters_find_by_identifier_prefix_ids_and_organization(string dialect)
    {
        await using var db = await TestDb.CreateAsync(dialect);
        var store = new IdentityStore(db);
        var org = Guid.NewGuid();
        var alice = IdentityStoreTests.Make("alice@example.org", org: org);
        var alina = IdentityStoreTests.Make("alina@example.org");
        var bob = IdentityStoreTests.Make("bob_1%@example.org");
        foreach (var i in new[] { alice, alina, bob }) await store.InsertAsync(i);

        var exact = await store.ListAsync(new IdentityQuery { Identifier = "alice@example.org", WithCredentials = true });
        Assert.Equal(alice.Id, Assert.Single(exact.Items).Id);
        Assert.Equal(["alice@example.org"], exact.Items[0].Credentials["password"].Identifiers);

        var prefix = await store.ListAsync(new IdentityQuery { IdentifierPrefix = "ali" });
        Assert.Equal(new[] { alice.Id, alina.Id }.Order(), prefix.Items.Select(i => i.Id));
        Assert.Equal(bob.Id, Assert.Single((await store.ListAsync(new IdentityQuery { IdentifierPrefix = "bob_1%" })).Items).Id);
        // LIKE wildcards in the search text are literal.
        Assert.Empty((await store.ListAsync(new IdentityQuery { IdentifierPrefix = "b_b" })).Items);
        Assert.Empty((await store.ListAsync(new IdentityQuery { IdentifierPrefix = "%" })).Items);

        var byIds = await store.ListAsync(new IdentityQuery { Ids = [bob.Id, alice.Id, Guid.NewGuid()] });
        Assert.Equal(new[] { alice.Id, bob.Id }.Order(), byIds.Items.Select(i => i.Id));
        Assert.Empty((await store.ListAsync(new IdentityQuery { Ids = [] })).Items);

        Assert.Equal(alice.Id, Assert.Single((await store.ListAsync(new IdentityQuery { OrganizationId = org })).Items).Id);
    }

    [Fact]
    public async Task A_page_of_250_is_one_database_command()
    {
        await using var db = await TestDb.CreateAsync("postgres");
        var store = new IdentityStore(db);
        for (var n = 0; n < 260; n++) await store.InsertAsync(IdentityStoreTests.Make($"p{n}@example.org"));

        // Npgsql reports every command it sends as an activity: a page must be exactly one. Other tests run
        // in parallel, so only activities inside this test's own trace count.
        using var source = new ActivitySource("Warden.Tests.Identities.RoundTrips");
        var commands = 0;
        ActivityTraceId trace = default;
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" || s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = a =>
            {
                if (a.Source.Name == "Npgsql" && a.TraceId == trace) Interlocked.Increment(ref commands);
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var root = source.StartActivity("list")!;
        trace = root.TraceId;
        // Warm the pool first so that opening a physical connection does not count.
        await store.GetAsync(Guid.NewGuid(), true);
        Interlocked.Exchange(ref commands, 0);
        var page = await store.ListAsync(new IdentityQuery { PageSize = 250, WithCredentials = true });
        Assert.Equal(250, page.Items.Count);
        Assert.True(page.HasMore);
        Assert.All(page.Items, i => Assert.Single(i.Credentials["password"].Identifiers));
        Assert.Equal(1, commands);

        Interlocked.Exchange(ref commands, 0);
        Assert.NotNull(await store.GetAsync(page.Items[0].Id, true));
        Assert.Equal(1, commands);
    }
}
