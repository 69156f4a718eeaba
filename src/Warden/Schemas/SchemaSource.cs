using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Config;

namespace Warden.Schemas;

/// <summary>
/// Fetches one schema document from a <c>file://</c>, <c>base64://</c> or <c>http(s)://</c> URL. Every
/// failure is a <see cref="SchemaSourceException"/> with a reason an operator can act on; the caller adds
/// the config key.
/// </summary>
internal static class SchemaSource
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<JsonObject> FetchAsync(string url, WardenConfig config, SchemaHttpSource http)
    {
        url = url.Trim();
        var (text, name) = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? (await http.GetAsync(url).ConfigureAwait(false), url)
            : Local(url, config);
        return Parse(text, name);
    }

    private static (string Text, string Name) Local(string url, WardenConfig config) => url switch
    {
        _ when url.StartsWith("base64://", StringComparison.OrdinalIgnoreCase) => (FromBase64(url["base64://".Length..]), "the base64 payload"),
        _ when url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) => FromFile(url["file://".Length..], config),
        _ when !url.Contains("://") && url.Length > 0 => FromFile(url, config), // a bare path, as a convenience
        _ => throw new SchemaSourceException($"'{Scheme(url)}' is not a supported scheme (use file://, base64://, http:// or https://)"),
    };

    private static string Scheme(string url) => url.Contains("://") ? url[..url.IndexOf("://", StringComparison.Ordinal)] + "://" : url;

    private static string FromBase64(string payload)
    {
        // Standard or URL-safe alphabet, padding optional: both appear in the wild.
        var b64 = new string(payload.Where(c => !char.IsWhiteSpace(c)).ToArray()).TrimEnd('=').Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        var buffer = new byte[b64.Length];
        if (b64.Length == 0 || !Convert.TryFromBase64String(b64, buffer, out var n))
            throw new SchemaSourceException("the base64 payload is not valid base64");
        try
        {
            return new UTF8Encoding(false, true).GetString(buffer, 0, n);
        }
        catch (DecoderFallbackException)
        {
            throw new SchemaSourceException("the base64 payload does not decode to UTF-8 text");
        }
    }

    private static (string Text, string Name) FromFile(string rest, WardenConfig config)
    {
        var path = Uri.UnescapeDataString(rest);
        var candidates = FileCandidates(path, config).Distinct().ToList();
        foreach (var candidate in candidates)
        {
            if (!File.Exists(candidate)) continue;
            if (new FileInfo(candidate).Length > MaxBytes) throw new SchemaSourceException($"'{candidate}' is larger than {MaxBytes} bytes");
            try
            {
                return (File.ReadAllText(candidate), candidate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SchemaSourceException($"'{candidate}' cannot be read ({e.GetType().Name})");
            }
        }
        var looked = candidates.Count <= 4 ? string.Join(", ", candidates) : string.Join(", ", candidates.Take(4)) + ", …";
        throw new SchemaSourceException($"file '{path}' was not found (looked at {looked})");
    }

    /// <summary>
    /// Absolute paths as given. Relative ones: next to the config file, then the working directory, then each
    /// folder above the config file. Kratos compat: Kratos' own configs name schemas relative to the Kratos
    /// repository root (<c>file://test/e2e/profiles/email/…</c>); when a config and its schemas were copied
    /// without that root, the longest trailing part of the path (at least folder/file) that exists next to
    /// the config or above it is used.
    /// </summary>
    internal static IEnumerable<string> FileCandidates(string path, WardenConfig config)
    {
        if (Path.IsPathRooted(path))
        {
            yield return Path.GetFullPath(path);
            yield break;
        }
        var configDir = config.SourcePath is { } src ? Path.GetDirectoryName(Path.GetFullPath(src)) : null;
        var dirs = new List<string>();
        for (var d = configDir is null ? null : new DirectoryInfo(configDir); d is not null; d = d.Parent) dirs.Add(d.FullName);
        if (configDir is not null) yield return Path.GetFullPath(Path.Combine(configDir, path));
        yield return Path.GetFullPath(Path.Combine(Directory.GetCurrentDirectory(), path));
        foreach (var dir in dirs.Skip(1)) yield return Path.GetFullPath(Path.Combine(dir, path));
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var drop = 1; segments.Length - drop >= 2; drop++)
        {
            var suffix = Path.Combine(segments[drop..]);
            foreach (var dir in dirs) yield return Path.GetFullPath(Path.Combine(dir, suffix));
        }
    }

    private static JsonObject Parse(string text, string name)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            if (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                try { return ConfigLoader.Parse(text, name); }
                catch (ConfigException ce) { throw new SchemaSourceException(ce.Problem); }
            }
            throw new SchemaSourceException($"{name} is not valid JSON (line {(e.LineNumber ?? 0) + 1})");
        }
        return node as JsonObject ?? throw new SchemaSourceException($"{name} must contain a JSON object");
    }
}

/// <param name="remote">
/// True when the network failed (unreachable, refused, timeout, non-2xx): that can heal by itself, so it makes
/// the schema unavailable instead of stopping startup. Everything else is a mistake in what was configured.
/// </param>
internal sealed class SchemaSourceException(string reason, bool remote = false) : Exception(reason)
{
    public bool Remote { get; } = remote;
}
