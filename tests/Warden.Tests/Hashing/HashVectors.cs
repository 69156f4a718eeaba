namespace Warden.Tests.Hashing;

/// <summary>One row of a hash-vector table: expect (match/mismatch), password, hash.</summary>
public sealed record HashVector(int Line, bool Match, string Password, string Hash)
{
    /// <summary>Copy of Kratos' published vectors (kept in sync by a test when ../shared is present).</summary>
    public static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Hashing", "vectors.tsv");

    /// <summary>Our own additions: formats and edge cases the Kratos table does not exercise.</summary>
    public static string WardenFixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Hashing", "warden-vectors.tsv");

    public static IReadOnlyList<HashVector> Read(string path)
    {
        var rows = new List<HashVector>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cols = line.Split('\t');
            if (cols.Length != 3) throw new InvalidDataException($"{path}:{i + 1}: expected 3 tab-separated columns");
            if (cols[0] == "expect") continue; // header
            var match = cols[0] switch
            {
                "match" => true,
                "mismatch" => false,
                _ => throw new InvalidDataException($"{path}:{i + 1}: expect must be match or mismatch"),
            };
            rows.Add(new HashVector(i + 1, match, cols[1], cols[2]));
        }
        return rows;
    }

    /// <summary>The fixture rows as theory data: file, line, expect, password, hash.</summary>
    public static IEnumerable<object[]> Fixture() =>
        from path in new[] { FixturePath, WardenFixturePath }
        from v in Read(path)
        select new object[] { Path.GetFileName(path), v.Line, v.Match ? "match" : "mismatch", v.Password, v.Hash };
}
