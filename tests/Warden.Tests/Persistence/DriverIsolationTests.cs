using System.Reflection;
using Warden.Persistence;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>
/// A SQLite deployment must not load Npgsql. Code both databases run calls into <see cref="PostgresPool"/>; when the
/// runtime recompiles such a caller optimized it inlines small callees, and inlining one that names Npgsql types
/// loads Npgsql (seen: Database.OpenAsync, 30 s after start, 0.9 MB of Npgsql plus System.Transactions resident).
/// </summary>
public sealed class DriverIsolationTests
{
    [Fact]
    public void No_public_member_of_the_postgres_pool_can_be_inlined_into_shared_code()
    {
        var methods = typeof(PostgresPool).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        Assert.NotEmpty(methods);
        var inlinable = methods.Where(m => !m.MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining)).Select(m => m.Name).ToList();
        Assert.Empty(inlinable);
    }
}
