using Warden.Schemas.Unicode;
using Xunit;

namespace Warden.Tests.Schemas;

/// <summary>Expected values are NFKC as computed by an independent implementation (Python's unicodedata, Unicode 14).</summary>
public sealed class NfkcTests
{
    [Theory]
    [InlineData("plain ascii @ 123", "plain ascii @ 123")]
    [InlineData("\uFF4A\uFF41\uFF4E\uFF45.\uFB01sh@example.org", "jane.fish@example.org")]
    [InlineData("e\u0301", "\u00E9")]
    [InlineData("\u212B", "\u00C5")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]
    [InlineData("\uAC01", "\uAC01")]
    [InlineData("\u2460\u2461", "12")]
    [InlineData("x\u0307\u0323", "\u1E8B\u0323")]
    [InlineData("\u1E9B\u0323", "\u1E69")]
    [InlineData("\u337B", "\u5E73\u6210")]
    [InlineData("\u2122", "TM")]
    [InlineData("\u00BD", "1\u20442")]
    [InlineData("\uFEFC", "\u0644\u0627")]
    [InlineData("\U0001D400\U0001D401", "AB")]
    [InlineData("\u216B", "XII")]
    [InlineData("a\u0328\u0301", "\u0105\u0301")]
    [InlineData("\u0B47\u0B3E", "\u0B4B")]
    [InlineData("\u01C5", "D\u017E")]
    [InlineData("\uFF8A\uFF9F", "\u30D1")]
    [InlineData("Stra\u00DFe", "Stra\u00DFe")]
    [InlineData("A\u030A\u0301", "\u01FA")]
    [InlineData("\u00C5\u0327", "\u00C5\u0327")]
    public void Normalises_like_the_unicode_reference(string input, string expected) =>
        Assert.Equal(expected, Nfkc.Normalize(input));
}
