using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Config;
using Warden.Courier.Templates;
using Xunit;

namespace Warden.Tests.Courier;

/// <summary>Operator overrides: Kratos' template_override_path layout and courier.templates.* locations.</summary>
public sealed class TemplateOverrideTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "warden-tpl-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static readonly JsonObject Model = new()
    {
        ["To"] = "ada@example.org",
        ["VerificationCode"] = "654321",
        ["VerificationURL"] = "https://id.example.org/v?code=654321&flow=f",
        ["Identity"] = new JsonObject { ["traits"] = new JsonObject { ["name"] = "Ada <Lovelace>" } },
    };

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static MessageTemplates Load(JsonObject courier) =>
        new(new WardenConfig(new JsonObject { ["courier"] = courier }), NullLoggerFactory.Instance);

    [Fact]
    public void Override_directory_uses_kratos_layout_and_falls_back_per_part()
    {
        Write("verification_code/valid/email.subject.gotmpl", "Code for {{ .Identity.traits.name }}\n");
        Write("verification_code/valid/email.body.gotmpl",
            "{{ define \"greeting\" }}Hello {{ .Identity.traits.name }}{{ end }}<p>{{ template \"greeting\" . }}</p>"
            + "{{ if .VerificationURL }}<a href=\"{{ .VerificationURL }}\">verify</a>{{ end }}");
        Write("verification_code/valid/email.body.plaintext.gotmpl", "{{- with .Identity.traits }}{{ .name }}{{ end }}: {{ .VerificationCode }}");

        var mail = Load(new JsonObject { ["template_override_path"] = _dir }).RenderEmail("verification_code_valid", Model);
        Assert.Equal("Code for Ada <Lovelace>", mail.Subject);
        Assert.Equal("<p>Hello Ada &lt;Lovelace&gt;</p><a href=\"https://id.example.org/v?code=654321&amp;flow=f\">verify</a>", mail.Html);
        Assert.Equal("Ada <Lovelace>: 654321", mail.Text);

        // Types without an override keep Warden's text.
        var other = Load(new JsonObject { ["template_override_path"] = _dir }).RenderEmail("verification_code_invalid", Model);
        Assert.Equal("Address verification request", other.Subject);
    }

    [Fact]
    public void Configured_locations_win_over_the_directory()
    {
        Write("recovery_code/valid/email.subject.gotmpl", "from the directory");
        Write("subject.gotmpl", "from file:// {{ .To }}");
        var courier = new JsonObject
        {
            ["template_override_path"] = _dir,
            ["templates"] = new JsonObject
            {
                ["recovery_code"] = new JsonObject
                {
                    ["valid"] = new JsonObject
                    {
                        ["email"] = new JsonObject
                        {
                            ["subject"] = "file://" + Path.Combine(_dir, "subject.gotmpl"),
                            ["body"] = new JsonObject
                            {
                                ["plaintext"] = "base64://" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Code: {{ .RecoveryCode }}")),
                            },
                        },
                    },
                },
            },
        };
        var mail = Load(courier).RenderEmail("recovery_code_valid", new JsonObject { ["To"] = "x@example.org", ["RecoveryCode"] = "999" });
        Assert.Equal("from file:// x@example.org", mail.Subject);
        Assert.Equal("Code: 999", mail.Text);
        Assert.Contains("999", mail.Html); // still Warden's HTML
    }

    [Fact]
    public void A_broken_override_is_a_config_error_when_loading()
    {
        Write("login_code/valid/email.body.plaintext.gotmpl", "line one\n{{ .LoginCode | sha256sum }}");
        var e = Assert.Throws<ConfigException>(() => Load(new JsonObject { ["template_override_path"] = _dir }));
        Assert.Equal("courier.template_override_path", e.Key);
        Assert.Contains("email.body.plaintext.gotmpl:2", e.Problem);
        Assert.Contains("sha256sum", e.Problem);

        var bad = new JsonObject { ["templates"] = JsonNode.Parse("""{"verification":{"invalid":{"email":{"subject":"base64://e3sgaWYgLlRvIH19"}}}}""") };
        var e2 = Assert.Throws<ConfigException>(() => Load(bad));
        Assert.Equal("courier.templates.verification.invalid.email.subject", e2.Key);
        Assert.Throws<ConfigException>(() => Load(new JsonObject { ["template_override_path"] = Path.Combine(_dir, "missing") }));
    }
}
