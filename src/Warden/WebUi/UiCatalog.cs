using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using Warden.Ui;

namespace Warden.WebUi;

/// <summary>
/// The UI's resource catalog: one JSON file per language (<c>WebUi/Locales/&lt;lang&gt;.embedded.json</c>)
/// with the page texts by key and, optionally, message templates by Kratos message id with
/// <c>{context_key}</c> placeholders. English needs no message templates: the API's own texts
/// (<see cref="Messages"/>) are Warden's English, so the UI and the API can never disagree. A language
/// is picked from Accept-Language; anything it lacks falls back to English.
/// </summary>
public sealed class UiCatalog
{
    public const string DefaultLanguage = "en";
    private readonly Dictionary<string, UiLocale> _locales;

    public UiCatalog(IEnumerable<UiLocale> locales)
    {
        _locales = locales.ToDictionary(l => l.Language, StringComparer.OrdinalIgnoreCase);
        if (!_locales.TryGetValue(DefaultLanguage, out var en)) throw new InvalidOperationException("the UI catalog has no English locale");
        foreach (var l in _locales.Values) if (l != en) l.Fallback = en;
    }

    public IReadOnlyCollection<string> Languages => _locales.Keys;

    /// <summary>Loads every locale file embedded in Warden.</summary>
    public static UiCatalog LoadEmbedded()
    {
        var asm = typeof(UiCatalog).Assembly;
        var locales = new List<UiLocale>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.Contains(".WebUi.Locales.", StringComparison.Ordinal)))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            locales.Add(UiLocale.FromJson(JsonNode.Parse(s)!.AsObject()));
        }
        return new UiCatalog(locales);
    }

    /// <summary>The best locale for an Accept-Language header: highest quality first, full tag then primary subtag.</summary>
    public UiLocale For(string? acceptLanguage)
    {
        if (!string.IsNullOrWhiteSpace(acceptLanguage) &&
            StringWithQualityHeaderValue.TryParseList(acceptLanguage.Split(','), out var list))
        {
            foreach (var entry in list.Where(e => (e.Quality ?? 1) > 0).OrderByDescending(e => e.Quality ?? 1))
            {
                var tag = entry.Value.Value ?? "";
                if (_locales.TryGetValue(tag, out var exact)) return exact;
                var primary = tag.Split('-')[0];
                if (_locales.TryGetValue(primary, out var p)) return p;
            }
        }
        return _locales[DefaultLanguage];
    }
}

/// <summary>One language of the catalog.</summary>
public sealed class UiLocale(string language, IReadOnlyDictionary<string, string> strings, IReadOnlyDictionary<int, string> messages)
{
    public string Language => language;
    internal UiLocale? Fallback { get; set; }

    /// <summary>A page text by key; a missing key shows the key itself so it is noticed, never an exception.</summary>
    public string this[string key] =>
        strings.TryGetValue(key, out var s) ? s : Fallback is { } f ? f[key] : key;

    public bool Has(string key) => strings.ContainsKey(key) || (Fallback?.Has(key) ?? false);

    /// <summary>A message in this language: its template by id with the context filled in, else the API's text.</summary>
    public string Text(UiText message)
    {
        if (!messages.TryGetValue(message.Id, out var template)) return Fallback?.Text(message) ?? message.Text;
        return Interpolate(template, message.Context);
    }

    internal static string Interpolate(string template, JsonObject? context)
    {
        if (context is null || !template.Contains('{')) return template;
        var result = template;
        foreach (var (key, value) in context)
        {
            var text = value switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => value.ToJsonString(),
            };
            result = result.Replace("{" + key + "}", text, StringComparison.Ordinal);
        }
        return result;
    }

    public static UiLocale FromJson(JsonObject o)
    {
        var lang = o["language"]?.GetValue<string>() ?? throw new InvalidOperationException("a UI locale file has no language");
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o["strings"] is JsonObject s)
            foreach (var (k, v) in s) strings[k] = v?.GetValue<string>() ?? "";
        var messages = new Dictionary<int, string>();
        if (o["messages"] is JsonObject m)
            foreach (var (k, v) in m) messages[int.Parse(k, System.Globalization.CultureInfo.InvariantCulture)] = v?.GetValue<string>() ?? "";
        return new UiLocale(lang, strings, messages);
    }
}
