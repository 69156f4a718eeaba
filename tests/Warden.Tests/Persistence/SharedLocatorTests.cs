using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

public sealed class SharedLocatorTests
{
    /// <summary>Guards the reference checks: if ../shared exists they must run, never silently skip.</summary>
    [Fact]
    public void Shared_reference_is_found_whenever_it_exists_beside_the_repository()
    {
        var expected = Directory.Exists(Path.Combine(Shared.RepoRoot(), "../shared/reference/kratos"));
        Assert.Equal(expected, Shared.Available);
    }
}
