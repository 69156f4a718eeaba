using Npgsql;
using Warden.Persistence;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>The pool options a Kratos DSN carries, read the way Kratos reads them.</summary>
public sealed class DsnTests
{
    private static NpgsqlConnectionStringBuilder Pool(string dsn) => new(Dsn.Parse(dsn).ConnectionString);

    [Fact]
    public void The_pool_defaults_to_twice_the_usable_cores_as_in_kratos()
    {
        var b = Pool("postgres://u:p@db.example:5432/warden?sslmode=disable");
        Assert.Equal(2 * Environment.ProcessorCount, b.MaxPoolSize);
        Assert.Equal(0, b.MinPoolSize);
    }

    [Fact]
    public void Postgres_connections_do_not_enlist_in_ambient_transactions() =>
        Assert.False(Pool("postgres://u@db.example/warden").Enlist);

    [Theory]
    [InlineData("max_conns=20&max_idle_conns=8")]
    [InlineData("max_idle_conns=8&max_conns=20")]
    public void Max_conns_and_max_idle_conns_apply_in_either_order(string query)
    {
        var b = Pool("postgres://u@db.example/warden?" + query);
        Assert.Equal(20, b.MaxPoolSize);
        Assert.Equal(8, b.MinPoolSize);
    }

    [Fact]
    public void Idle_connections_never_exceed_the_maximum_and_nonsense_keeps_the_default()
    {
        Assert.Equal(3, Pool("postgres://u@db.example/warden?max_conns=3&max_idle_conns=10").MinPoolSize);
        Assert.Equal(2 * Environment.ProcessorCount, Pool("postgres://u@db.example/warden?max_conns=0").MaxPoolSize);
        Assert.Equal(2 * Environment.ProcessorCount, Pool("postgres://u@db.example/warden?max_conns=many").MaxPoolSize);
    }

    [Theory]
    [InlineData("postgres://u@/warden?host=/var/run/postgresql")]
    [InlineData("postgres://u@localhost/warden?host=%2Fvar%2Frun%2Fpostgresql")]
    [InlineData("postgres:///warden?host=/var/run/postgresql&user=u")]
    public void A_host_parameter_names_a_unix_socket_directory_as_with_libpq(string dsn)
    {
        var parsed = Dsn.Parse(dsn);
        var b = new NpgsqlConnectionStringBuilder(parsed.ConnectionString);
        Assert.Equal("/var/run/postgresql", b.Host);
        Assert.Equal("warden", b.Database);
        Assert.Equal("u", b.Username);
        Assert.Contains("/var/run/postgresql", parsed.Redacted);
    }

    [Fact]
    public void A_password_parameter_is_used_and_never_shown()
    {
        var parsed = Dsn.Parse("postgres:///warden?host=db.example&user=u&password=s3cret");
        Assert.Equal("s3cret", new NpgsqlConnectionStringBuilder(parsed.ConnectionString).Password);
        Assert.DoesNotContain("s3cret", parsed.Redacted);
    }

    [Fact]
    public void A_url_without_any_host_is_refused_with_a_clear_message()
    {
        var e = Assert.Throws<Warden.Config.ConfigException>(() => Dsn.Parse("postgres:///warden"));
        Assert.Contains("host", e.Message);
    }
}
