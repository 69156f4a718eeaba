using System.Text.RegularExpressions;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Persistence;

/// <summary>
/// Every write of the product goes through <c>Database.WriteAsync</c> or <c>InTransactionAsync</c>, so on SQLite it
/// takes the in-process write gate; a store that opens a plain connection and writes on it meets the other writers
/// at SQLite's lock instead (busy waits, and two-statement writes that are not atomic). This reads the sources:
/// a method that opens a connection with <c>OpenAsync</c> must not send INSERT/UPDATE/DELETE on it. It sees SQL
/// written after the open in the same method, the usual shape of a store method; a statement built before the open
/// or handed to another method is beyond it (those were fixed by reading, commit "writes through the gate").
/// </summary>
public sealed partial class WriteGateCoverageTests
{
    // Writers that own their connection on purpose: the migrator (DDL, one process at a time by design) and the
    // SQLite change feed's trim of its own log (a background delete that may wait at SQLite's lock).
    private static readonly string[] Exempt = ["Persistence/Migrator.cs", "Persistence/Database.cs", "Sessions/Cache/SessionChangeFeed.Sqlite.cs"];

    [Fact]
    public void No_store_writes_on_a_connection_it_opened_itself()
    {
        var root = Path.Combine(Shared.RepoRoot(), "src", "Warden");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith("obj/") || relative.StartsWith("bin/") || Exempt.Contains(relative)) continue;
            foreach (var body in MethodsOpeningAConnection(File.ReadAllText(file)))
                if (Write().IsMatch(body)) offenders.Add($"{relative}: {body.Split('\n')[0].Trim()}");
        }
        Assert.True(offenders.Count == 0, "writes outside the write gate:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_check_finds_a_write_on_an_opened_connection()
    {
        const string sample = """
            public async Task MarkAsync(Guid id, CancellationToken ct)
            {
                await using var c = await db.OpenAsync(ct);
                await c.ExecuteAsync(new SqlStatement("UPDATE t SET x = 1 WHERE id = @id", new { id }, cancellationToken: ct));
            }
            """;
        Assert.Single(MethodsOpeningAConnection(sample), body => Write().IsMatch(body));
    }

    /// <summary>From each <c>OpenAsync(</c> to the end of its method (the next line that closes a member block).</summary>
    private static IEnumerable<string> MethodsOpeningAConnection(string source)
    {
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].Contains(".OpenAsync(")) continue;
            var indent = lines[i].Length - lines[i].TrimStart().Length;
            var end = i + 1;
            while (end < lines.Length && !(lines[end].Trim() == "}" && lines[end].Length - lines[end].TrimStart().Length < indent)) end++;
            yield return string.Join('\n', lines[i..Math.Min(end + 1, lines.Length)]);
        }
    }

    [GeneratedRegex(@"""[^""]*\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Write();
}
