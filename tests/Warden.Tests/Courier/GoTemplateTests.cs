using System.Text.Json.Nodes;
using Warden.Courier.Templates;
using Xunit;

namespace Warden.Tests.Courier;

public sealed class GoTemplateTests
{
    private static readonly JsonObject Model = new()
    {
        ["To"] = "ada@example.org",
        ["RecoveryCode"] = "123456",
        ["RecoveryURL"] = "https://id.example.org/self-service/recovery?flow=1&token=abc",
        ["ExpiresInMinutes"] = 15,
        ["Identity"] = new JsonObject
        {
            ["id"] = "0b4e5bd0-9b0d-4b2f-8b63-5a7f3b2a0d11",
            ["traits"] = new JsonObject { ["email"] = "ada@example.org", ["name"] = new JsonObject { ["first"] = "Ada" }, ["tags"] = new JsonArray("a", "b", "c") },
        },
        ["TransientPayload"] = new JsonObject(),
    };

    private static string Text(string source) => GoTemplate.Parse("t", source, html: false).Render(Model);

    private static string Html(string source) => GoTemplate.Parse("t", source, html: true).Render(Model);

    [Theory]
    [InlineData("Hi {{ .To }}", "Hi ada@example.org")]
    [InlineData("{{.RecoveryCode}}", "123456")]
    [InlineData("{{ .Identity.traits.name.first }}", "Ada")]
    [InlineData("[{{ .Identity.traits.missing }}]", "[]")]
    [InlineData("{{ .ExpiresInMinutes }} min", "15 min")]
    [InlineData("a  {{- .RecoveryCode -}}  b", "a123456b")]
    [InlineData("a\n  {{- \"x\" }}\n", "ax\n")]
    [InlineData("{{/* a comment */}}ok", "ok")]
    [InlineData("{{ if .RecoveryCode }}yes{{ else }}no{{ end }}", "yes")]
    [InlineData("{{ if .Nope }}yes{{ else if .To }}to{{ else }}no{{ end }}", "to")]
    [InlineData("{{ if not .Nope }}empty{{ end }}", "empty")]
    [InlineData("{{ range .Identity.traits.tags }}<{{ . }}>{{ end }}", "<a><b><c>")]
    [InlineData("{{ range $i, $t := .Identity.traits.tags }}{{ $i }}={{ $t }};{{ end }}", "0=a;1=b;2=c;")]
    [InlineData("{{ range .TransientPayload }}x{{ else }}none{{ end }}", "none")]
    [InlineData("{{ with .Identity.traits }}{{ .email }}{{ end }}", "ada@example.org")]
    [InlineData("{{ $c := .RecoveryCode }}{{ $c }}-{{ $.To }}", "123456-ada@example.org")]
    [InlineData("{{ if eq .To \"ada@example.org\" }}match{{ end }}", "match")]
    [InlineData("{{ .To | upper }}", "ADA@EXAMPLE.ORG")]
    [InlineData("{{ printf \"%s:%d\" .RecoveryCode .ExpiresInMinutes }}", "123456:15")]
    [InlineData("{{ index .Identity.traits \"email\" }}", "ada@example.org")]
    [InlineData("{{ len .Identity.traits.tags }}", "3")]
    [InlineData("{{ define \"x\" }}[{{ .To }}]{{ end }}{{ template \"x\" . }}", "[ada@example.org]")]
    [InlineData("{{ .Nope | default \"fallback\" }}", "fallback")]
    [InlineData("{{ \"}}\" }}", "}}")]
    public void Renders_the_kratos_subset(string source, string expected) => Assert.Equal(expected, Text(source));

    [Fact]
    public void Html_bodies_escape_every_value_and_filter_unsafe_urls()
    {
        var model = new JsonObject { ["To"] = "<script>alert('x')</script>", ["RecoveryURL"] = "javascript:alert(1)" };
        var t = GoTemplate.Parse("t", "<p>{{ .To }}</p><a href=\"{{ .RecoveryURL }}\">go</a>", html: true);
        Assert.Equal("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p><a href=\"#ZgotmplZ\">go</a>", t.Render(model));
        Assert.Equal("<a href=\"https://id.example.org/self-service/recovery?flow=1&amp;token=abc\">x</a>",
            Html("<a href=\"{{ .RecoveryURL }}\">x</a>"));
        // Plain-text templates are not escaped.
        Assert.Equal("<script>alert('x')</script>", GoTemplate.Parse("t", "{{ .To }}", html: false).Render(model));
    }

    [Theory]
    [InlineData("{{ .To | nosuchfunc }}", "function \"nosuchfunc\" not defined")]
    [InlineData("{{ if .To }}open", "if without a matching {{end}}")]
    [InlineData("{{ end }}", "unexpected {{end}}")]
    [InlineData("{{ .To ", "unclosed action")]
    [InlineData("{{ $x }}", "undefined variable \"$x\"")]
    [InlineData("{{ template \"missing\" . }}", "no such template \"missing\"")]
    [InlineData("line1\n{{ dateInZone }}", "t:2: function \"dateInZone\" not defined")]
    public void Problems_are_reported_at_load_time(string source, string expected)
    {
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", source, html: false));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_field_on_a_string_fails_at_render_time_with_the_location()
    {
        var t = GoTemplate.Parse("t", "{{ .To.name }}", html: false);
        var e = Assert.Throws<TemplateException>(() => t.Render(Model));
        Assert.Contains("can't evaluate field name in type string", e.Message);
    }

    [Fact]
    public void Renders_a_typical_kratos_override()
    {
        // Shaped like the overrides people write for Kratos: trimming, nested traits, if/else, range over a list.
        const string source = """
            {{- if .Identity.traits.name.first -}}
            Hello {{ .Identity.traits.name.first }},
            {{- else -}}
            Hello,
            {{- end }}

            Your code: {{ .RecoveryCode }}
            {{ range $tag := .Identity.traits.tags -}}
            - {{ $tag }}
            {{ end -}}
            Valid for {{ .ExpiresInMinutes }} minutes.
            """;
        Assert.Equal("Hello Ada,\n\nYour code: 123456\n- a\n- b\n- c\nValid for 15 minutes.", Text(source));
    }

    [Fact]
    public void Every_builtin_template_renders_for_its_type()
    {
        var templates = new MessageTemplates(new Warden.Config.WardenConfig(new JsonObject()), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        foreach (var type in MessageTemplates.Types)
        {
            var mail = templates.RenderEmail(type, Model);
            Assert.False(string.IsNullOrWhiteSpace(mail.Subject));
            Assert.Contains("ada@example.org", mail.Text);
            Assert.Contains("<html>", mail.Html);
        }
        var code = templates.RenderEmail("recovery_code_valid", Model);
        Assert.Contains("123456", code.Text);
        Assert.Contains("123456", code.Html);
        Assert.Contains("15 minutes", code.Text);
        Assert.Contains("flow=1&amp;token=abc", templates.RenderEmail("recovery_valid", Model).Html);
        Assert.Equal("Your recovery code is: 123456", templates.RenderSms("recovery_code_valid", Model));
    }
}
