using System.Text.Json.Nodes;
using Warden.Config;
using Warden.Tests.Support;
using Xunit;

namespace Warden.Tests.Config;

/// <summary>
/// Warden's reader of plain YAML either reads a config exactly as YamlDotNet's does or declines it (and YamlDotNet
/// reads it): compared on every config file the tests know, the Kratos profiles when ../shared is present, and on
/// snippets of each construct.
/// </summary>
public sealed class PlainYamlTests
{
    // What the benchmark, the README and most real configs look like: read without YamlDotNet.
    private const string Typical = """
        # a comment
        dsn: "sqlite:///var/lib/warden/db.sqlite?_fk=true"
        serve:
          public: { port: 4433, base_url: "http://127.0.0.1:4433/" }
          admin:
            port: 4434   # trailing comment
        secrets:
          default: ["a-secret-of-32-characters-or-more-000"]
          cookie:
            - first
            - 'it''s'
        log: { level: warning, format: text }
        hashers:
          algorithm: argon2
          argon2: { memory: 19MB, iterations: 2, parallelism: 1 }
          bcrypt:
            cost: 12
        selfservice:
          default_browser_return_url: http://127.0.0.1:4455/
          allowed_return_urls:
          - http://127.0.0.1:4455
          - https://example.org/callback?x=1#frag
          methods:
            password:
              enabled: true
              config: { haveibeenpwned_enabled: false, min_password_length: 8 }
          flows:
            registration:
              after:
                password:
                  hooks:
                    - hook: session
                    - hook: web_hook
                      config:
                        url: "https://hooks.example.org/x"
                        method: POST
        empty:
        nulls: [~, null, "", '']
        numbers: [1, -2, 3.5, 0x1F, 1e3, .5, "7"]
        text: hello world, it is 10:30 now
        """;

    public static IEnumerable<object[]> Snippets() => new[]
    {
        Typical,
        "a: 1\nb:\n  - x\n  - y: 2\n    z: 3\n  -\n    w: 4\n",
        "list:\n- a\n- b\nnext: c\n",
        "a:\n  b:\n    c: d\n  e: f\n",
        "q: \"tab\\there \\\"quoted\\\" back\\\\slash \\/ \\n\"\n",
        "k: 'single # not a comment'\nj: \"double # neither\"\n",
        "url: http://host:8080/path # comment\n",
        "flow: { a: [1, 2, { b: c }], d: }\n",
        "flow: [ ]\nother: { }\n",
        "dup:\n  a: 1\ndup:\n  b: 2\n",
        "\"quoted key\": 1\n'single': 2\n",
        "key : spaced\n",
        "- top\n- level\n",
        "windows: yes\r\nline: ends\r\n",
        "   indented: first\n   second: line\n",
        "",
        "# only a comment\n",
        // Outside the subset: YamlDotNet reads these.
        "base: &b { x: 1 }\nuse: *b\n",
        "m:\n  <<: { a: 1 }\n  b: 2\n",
        "text: |\n  line one\n  line two\n",
        "folded: >-\n  a\n  b\n",
        "plain: over\n  two lines\n",
        "quoted: \"over\n  two\"\n",
        "tagged: !!str 123\n",
        "---\na: 1\n",
        "%YAML 1.2\n---\na: 1\n",
        "json:\n  {\"a\": 1,\n   \"b\": 2}\n",
        "{\"a\": {\"b\": [1, 2]}}",
        "? complex\n: key\n",
        "tab:\tvalue\n",
        "esc: \"\\u00e9\\x41\"\n",
        "a: b: c\n",
        "a: [1, 2\n",
        "a: {b: 1, b: 2}\n",
        "a:\n  - x\n   - y\n",
        "- a\nb: c\n",
        "\uFEFFbom: 1\n",
    }.Select(s => new object[] { s });

    [Theory, MemberData(nameof(Snippets))]
    public void Reads_a_snippet_as_YamlDotNet_does_or_declines_it(string text) => AssertSame(text, "snippet");

    [Fact]
    public void Reads_every_config_fixture_as_YamlDotNet_does_or_declines_it()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.y*ml", SearchOption.AllDirectories).ToList();
        if (Shared.Available)
            files.AddRange(Directory.GetFiles(Shared.Path("profiles"), "*.y*ml", SearchOption.AllDirectories));
        Assert.NotEmpty(files);
        foreach (var file in files) AssertSame(File.ReadAllText(file), file);
        // Not a vacuous comparison: our own fixtures are plain YAML and take the plain reader (so do 17 of the
        // 18 Kratos profiles when ../shared is present).
        Assert.Contains(files, f => PlainYaml.TryRead(File.ReadAllText(f), out _));
    }

    [Theory]
    [InlineData(Typical)]
    [InlineData("a: 1\n")]
    [InlineData("")]
    public void Typical_configs_are_read_without_YamlDotNet(string text) => Assert.True(PlainYaml.TryRead(text, out _));

    [Theory]
    [InlineData("base: &b { x: 1 }\nuse: *b\n")]
    [InlineData("text: |\n  line\n")]
    [InlineData("plain: over\n  two lines\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: [1, 2\n")]
    public void Anything_outside_the_subset_is_declined(string text) => Assert.False(PlainYaml.TryRead(text, out _));

    [Fact]
    public void Nesting_beyond_the_limit_is_left_to_YamlDotNet_and_its_error()
    {
        var deep = "a: " + new string('[', 200) + new string(']', 200) + "\n";
        Assert.False(PlainYaml.TryRead(deep, out _));
        Assert.Throws<ConfigException>(() => YamlReader.Read(deep, "deep.yml"));
    }

    private static void AssertSame(string text, string source)
    {
        if (!PlainYaml.TryRead(text, out var plain)) return; // declined: YamlDotNet reads it, as before
        JsonNode? expected;
        try { expected = YamlReader.ReadWithYamlDotNet(text, source); }
        catch (ConfigException e) { throw new Xunit.Sdk.XunitException($"{source}: the plain reader accepted what YamlDotNet rejects ({e.Message})"); }
        Assert.True(JsonNode.DeepEquals(expected, plain),
            $"{source}: plain reader {plain?.ToJsonString() ?? "null"} vs YamlDotNet {expected?.ToJsonString() ?? "null"}");
    }
}
