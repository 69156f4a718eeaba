using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Warden.Schemas.Unicode;

/// <summary>
/// Unicode NFKC (UAX #15): compatibility decomposition, canonical ordering, canonical composition.
/// Warden runs with invariant globalization (no ICU), where <see cref="string.Normalize()"/> leaves
/// non-ASCII text as it is; identifiers must still fold full-width letters, ligatures and decomposed
/// accents together, so the algorithm is implemented here over a table generated from the Unicode
/// Character Database (<c>nfkc.embedded.json</c>, see <c>make-nfkc-table.py</c>).
/// </summary>
internal static class Nfkc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<Tables> Data = new(Tables.Load);

    public static string Normalize(string s)
    {
        if (Ascii.IsValid(s)) return s; // ASCII is already in every normal form
        var tables = Data.Value;
        var cps = new List<int>(s.Length + 8);
        foreach (var rune in s.EnumerateRunes()) Decompose(rune.Value, cps, tables);
        Reorder(cps, tables);
        var composed = Compose(cps, tables);
        var sb = new StringBuilder(composed.Count);
        foreach (var cp in composed) sb.Append(char.ConvertFromUtf32(cp));
        return sb.ToString();
    }

    private static void Decompose(int cp, List<int> into, Tables t)
    {
        if (cp is >= SBase and < SBase + SCount)
        {
            var index = cp - SBase;
            into.Add(LBase + index / NCount);
            into.Add(VBase + index % NCount / TCount);
            if (index % TCount != 0) into.Add(TBase + index % TCount);
        }
        else if (t.Decompositions.TryGetValue(cp, out var parts)) into.AddRange(parts);
        else into.Add(cp);
    }

    /// <summary>Stable sort of every run of non-starters by combining class.</summary>
    private static void Reorder(List<int> cps, Tables t)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var cc = t.Ccc(cps[i]);
            if (cc == 0) continue;
            for (var j = i; j > 0 && t.Ccc(cps[j - 1]) > cc; j--) (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
        }
    }

    private static List<int> Compose(List<int> cps, Tables t)
    {
        var output = new List<int>(cps.Count);
        var starter = -1;
        var lastCcc = 0;
        foreach (var cp in cps)
        {
            var cc = t.Ccc(cp);
            if (starter >= 0)
            {
                // A mark joins the last starter unless a character of equal or higher class sits between them.
                var adjacent = output.Count - 1 == starter;
                var blocked = !adjacent && (lastCcc == 0 || lastCcc >= cc);
                if (!blocked && TryCompose(output[starter], cp, t, out var composite))
                {
                    output[starter] = composite;
                    continue;
                }
            }
            if (cc == 0) starter = output.Count;
            lastCcc = cc;
            output.Add(cp);
        }
        return output;
    }

    private static bool TryCompose(int a, int b, Tables t, out int composite)
    {
        if (a is >= LBase and < LBase + LCount && b is >= VBase and < VBase + VCount)
        {
            composite = SBase + ((a - LBase) * VCount + (b - VBase)) * TCount;
            return true;
        }
        if (a is >= SBase and < SBase + SCount && (a - SBase) % TCount == 0 && b is > TBase and < TBase + TCount)
        {
            composite = a + (b - TBase);
            return true;
        }
        return t.Compositions.TryGetValue(((long)a << 21) | (uint)b, out composite);
    }

    private sealed class Tables
    {
        public required Dictionary<int, int[]> Decompositions { get; init; }
        public required Dictionary<int, byte> Classes { get; init; }
        public required Dictionary<long, int> Compositions { get; init; }

        public int Ccc(int cp) => Classes.TryGetValue(cp, out var c) ? c : 0;

        public static Tables Load()
        {
            var assembly = typeof(Nfkc).Assembly;
            var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("nfkc.embedded.json", StringComparison.Ordinal));
            using var stream = assembly.GetManifestResourceStream(name)!;
            var root = JsonNode.Parse(stream)!;
            static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var d = new Dictionary<int, int[]>();
            foreach (var entry in root["d"]!.AsArray().Select(n => (string)n!))
            {
                var eq = entry.IndexOf('=');
                d[Hex(entry[..eq])] = entry[(eq + 1)..].Split(' ').Select(Hex).ToArray();
            }
            var c = new Dictionary<int, byte>();
            foreach (var entry in root["c"]!.AsArray().Select(n => (string)n!))
            {
                var eq = entry.IndexOf('=');
                c[Hex(entry[..eq])] = byte.Parse(entry[(eq + 1)..], CultureInfo.InvariantCulture);
            }
            var p = new Dictionary<long, int>();
            foreach (var entry in root["p"]!.AsArray().Select(n => (string)n!))
            {
                var eq = entry.IndexOf('=');
                var pair = entry[..eq].Split(',');
                p[((long)Hex(pair[0]) << 21) | (uint)Hex(pair[1])] = Hex(entry[(eq + 1)..]);
            }
            return new Tables { Decompositions = d, Classes = c, Compositions = p };
        }
    }
}
