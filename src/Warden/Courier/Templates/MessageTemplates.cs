using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Warden.Config;

namespace Warden.Courier.Templates;

public sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// Every message template, loaded and parsed once when Warden starts. Per part (subject, HTML body, plain
/// body, SMS body) the first of these wins: <c>courier.templates.&lt;group&gt;.&lt;valid|invalid&gt;.…</c>, a file in
/// <c>courier.template_override_path</c> (Kratos' layout, e.g. <c>recovery_code/valid/email.body.gotmpl</c>),
/// Warden's own text. A bad override stops startup with the key or file at fault.
/// </summary>
public sealed class MessageTemplates
{
    public static IReadOnlyCollection<string> Types => DefaultTemplates.ByType.Keys.ToList();

    private readonly Dictionary<(string Type, Part Part), GoTemplate> _override = [];
    private readonly Dictionary<(string Type, Part Part), GoTemplate> _builtin = [];
    private readonly ILogger _log;

    private enum Part { Subject, Html, Plain, Sms }

    public MessageTemplates(WardenConfig config, ILoggerFactory logs)
    {
        _log = logs.CreateLogger("Warden.Courier");
        foreach (var (type, texts) in DefaultTemplates.ByType)
        {
            _builtin[(type, Part.Subject)] = GoTemplate.Parse($"{type}/subject", texts.Subject, html: false);
            _builtin[(type, Part.Html)] = GoTemplate.Parse($"{type}/html", texts.Html, html: true);
            _builtin[(type, Part.Plain)] = GoTemplate.Parse($"{type}/plaintext", texts.Plain, html: false);
            _builtin[(type, Part.Sms)] = GoTemplate.Parse($"{type}/sms", texts.Sms ?? texts.Plain, html: false);
        }
        LoadOverrideDirectory(config);
        LoadConfigured(config);
    }

    public bool IsKnown(string type) => DefaultTemplates.ByType.ContainsKey(type);

    public RenderedEmail RenderEmail(string type, JsonObject model)
    {
        var subject = Render(type, Part.Subject, model);
        // A subject is one header line: line breaks from a template must not start new headers.
        subject = string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return new RenderedEmail(subject, Render(type, Part.Html, model), Render(type, Part.Plain, model));
    }

    public string RenderSms(string type, JsonObject model) => Render(type, Part.Sms, model).Trim();

    private string Render(string type, Part part, JsonObject model)
    {
        if (!IsKnown(type)) throw new ArgumentException($"unknown message template type '{type}'", nameof(type));
        if (_override.TryGetValue((type, part), out var custom))
        {
            try
            {
                return custom.Render(model);
            }
            catch (TemplateException e)
            {
                // The operator's template failed on this data; the user still gets a message, from our text.
                _log.LogWarning("Courier template {Template} failed ({Error}); using Warden's built-in text instead", custom.Name, e.Message);
            }
        }
        return _builtin[(type, part)].Render(model);
    }

    private void LoadOverrideDirectory(WardenConfig config)
    {
        var configured = config.String("courier.template_override_path");
        if (string.IsNullOrWhiteSpace(configured)) return;
        var dir = TemplateSource.ResolveDirectory(configured.Trim(), config);
        if (!Directory.Exists(dir)) throw new ConfigException("courier.template_override_path", $"'{dir}' is not a directory");
        foreach (var type in DefaultTemplates.ByType.Keys)
        {
            var (group, variant) = Split(type);
            var folder = Path.Combine(dir, group, variant);
            if (!Directory.Exists(folder)) continue;
            Add(type, Part.Subject, folder, "email.subject.gotmpl", html: false);
            Add(type, Part.Html, folder, "email.body.gotmpl", html: true);
            Add(type, Part.Plain, folder, "email.body.plaintext.gotmpl", html: false);
            Add(type, Part.Sms, folder, "sms.body.gotmpl", html: false);
        }
    }

    private void Add(string type, Part part, string folder, string file, bool html)
    {
        var source = TemplateSource.ReadOverride(folder, file);
        if (source is null) return;
        // Kratos loads sibling files (email.body.*.gotmpl) with the main one so they can hold {{ define }}s.
        var stem = file[..^".gotmpl".Length];
        var siblings = Directory.GetFiles(folder, stem + ".*.gotmpl")
            .Where(f => part != Part.Html || !Path.GetFileName(f).StartsWith("email.body.plaintext", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, TemplateSource.ReadOverride(folder, Path.GetFileName(f)) ?? ""));
        _override[(type, part)] = Parse(Path.Combine(folder, file), "courier.template_override_path", source, html, siblings);
    }

    private void LoadConfigured(WardenConfig config)
    {
        using var http = new TemplateHttp();
        foreach (var type in DefaultTemplates.ByType.Keys)
        {
            var (group, variant) = Split(type);
            var prefix = $"courier.templates.{group}.{variant}";
            Configured(config, http, type, Part.Subject, $"{prefix}.email.subject", html: false);
            Configured(config, http, type, Part.Html, $"{prefix}.email.body.html", html: true);
            Configured(config, http, type, Part.Plain, $"{prefix}.email.body.plaintext", html: false);
            Configured(config, http, type, Part.Sms, $"{prefix}.sms.body.plaintext", html: false);
        }
    }

    private void Configured(WardenConfig config, TemplateHttp http, string type, Part part, string key, bool html)
    {
        var url = config.String(key);
        if (string.IsNullOrWhiteSpace(url)) return;
        _override[(type, part)] = Parse(key, key, TemplateSource.Read(key, url, config, http), html, []);
    }

    private static GoTemplate Parse(string name, string key, string source, bool html, IEnumerable<(string, string)> associated)
    {
        try
        {
            return GoTemplate.Parse(name, source, html, associated);
        }
        catch (TemplateException e)
        {
            throw new ConfigException(key, e.Message);
        }
    }

    /// <summary><c>recovery_code_valid</c> → (<c>recovery_code</c>, <c>valid</c>): the config and folder names.</summary>
    private static (string Group, string Variant) Split(string type)
    {
        var i = type.LastIndexOf('_');
        return (type[..i], type[(i + 1)..]);
    }
}
