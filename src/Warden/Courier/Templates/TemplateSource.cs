using System.Text;
using Warden.Config;

namespace Warden.Courier.Templates;

/// <summary>
/// Reads one template named in <c>courier.templates.*</c>: <c>file://</c> (relative to the config file),
/// <c>base64://</c> or <c>http(s)://</c>. Failures are <see cref="ConfigException"/>s naming the key, raised
/// when Warden starts rather than when the first message is sent.
/// </summary>
internal static class TemplateSource
{
    public const int MaxBytes = 512 * 1024;

    public static string Read(string key, string url, WardenConfig config, TemplateHttp http)
    {
        url = url.Trim();
        try
        {
            if (url.StartsWith("base64://", StringComparison.OrdinalIgnoreCase)) return FromBase64(url["base64://".Length..]);
            if (url.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) return FromFile(Uri.UnescapeDataString(url["file://".Length..]), config);
            if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                return http.Get(url, MaxBytes, Strict);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new ConfigException(key, $"the template could not be read: {e.Message}");
        }
        throw new ConfigException(key, "a template location must start with file://, base64://, http:// or https://");
    }

    /// <summary>A file from <c>template_override_path</c>, or null when the operator did not override that part.</summary>
    public static string? ReadOverride(string directory, string relative)
    {
        var path = Path.Combine(directory, relative);
        if (!File.Exists(path)) return null;
        if (new FileInfo(path).Length > MaxBytes) throw new ConfigException("courier.template_override_path", $"'{path}' is larger than {MaxBytes} bytes");
        return File.ReadAllText(path, Strict);
    }

    public static string ResolveDirectory(string path, WardenConfig config)
    {
        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) path = path["file://".Length..];
        if (Path.IsPathRooted(path)) return path;
        var baseDir = config.SourcePath is { Length: > 0 } src ? Path.GetDirectoryName(Path.GetFullPath(src)) : null;
        var beside = baseDir is null ? null : Path.Combine(baseDir, path);
        return beside is not null && Directory.Exists(beside) ? beside : Path.GetFullPath(path);
    }

    private static readonly UTF8Encoding Strict = new(false, true);

    private static string FromBase64(string payload)
    {
        var b64 = new string(payload.Where(c => !char.IsWhiteSpace(c)).ToArray()).TrimEnd('=').Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        var buffer = new byte[b64.Length];
        if (!Convert.TryFromBase64String(b64, buffer, out var n)) throw new IOException("the base64 payload is not valid base64");
        return Strict.GetString(buffer, 0, n);
    }

    private static string FromFile(string path, WardenConfig config)
    {
        var candidates = new List<string>();
        if (!Path.IsPathRooted(path) && config.SourcePath is { Length: > 0 } src && Path.GetDirectoryName(Path.GetFullPath(src)) is { } dir)
            candidates.Add(Path.Combine(dir, path));
        candidates.Add(Path.GetFullPath(path));
        foreach (var c in candidates)
        {
            if (!File.Exists(c)) continue;
            if (new FileInfo(c).Length > MaxBytes) throw new IOException($"'{c}' is larger than {MaxBytes} bytes");
            return File.ReadAllText(c, Strict);
        }
        throw new IOException($"no file at '{candidates[^1]}'");
    }
}
