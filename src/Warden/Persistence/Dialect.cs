namespace Warden.Persistence;

public enum Dialect
{
    Sqlite,
    Postgres,
}
