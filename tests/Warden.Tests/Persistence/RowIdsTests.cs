using Warden.Persistence;
using Xunit;

namespace Warden.Tests.Persistence;

public sealed class RowIdsTests
{
    [Fact]
    public void Ids_are_uuid_version_7_with_the_rfc_variant_and_the_current_time()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = RowIds.New();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        var ms = Convert.ToInt64(id.ToString("N")[..12], 16);
        Assert.InRange(ms, before, after + 1);
    }

    [Fact]
    public void Every_id_sorts_after_the_one_before_even_within_a_millisecond_and_across_threads()
    {
        var one = Enumerable.Range(0, 20_000).Select(_ => RowIds.New()).ToList();
        // Text order is what SQLite compares; byte order in RFC layout (the same for the canonical text) is PostgreSQL's.
        Assert.Equal(one.Select(g => g.ToString("D")).Order(StringComparer.Ordinal), one.Select(g => g.ToString("D")));
        Assert.Equal(one.Count, one.Distinct().Count());

        var many = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 8, _ => { for (var n = 0; n < 5_000; n++) many.Add(RowIds.New()); });
        Assert.Equal(40_000, many.Distinct().Count());
        Assert.All(many, g => Assert.Equal(7, g.Version));
    }

    [Fact]
    public void The_random_part_differs_between_ids()
    {
        var tails = Enumerable.Range(0, 1000).Select(_ => RowIds.New().ToString("N")[16..]).ToHashSet();
        Assert.Equal(1000, tails.Count);
    }
}
