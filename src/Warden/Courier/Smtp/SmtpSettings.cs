using Microsoft.AspNetCore.WebUtilities;
using System.Text.Json.Nodes;
using Warden.Config;

namespace Warden.Courier.Smtp;

/// <summary>
/// <c>courier.smtp</c>: where and how to deliver e-mail. <c>smtp://</c> requires STARTTLS unless
/// <c>?disable_starttls=true</c>; <c>smtps://</c> is TLS from the first byte; <c>?skip_ssl_verify=true</c> accepts
/// any certificate; <c>?server_name=</c> names the certificate's host; user and password come URL-encoded
/// in the URI.
/// </summary>
internal sealed record SmtpSettings
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public bool ImplicitTls { get; init; }
    public bool RequireStartTls { get; init; } = true;
    public bool SkipVerify { get; init; }
    public string? ServerName { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    public string FromAddress { get; init; } = "no-reply@ory.kratos.sh";
    public string? FromName { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string LocalName { get; init; } = "localhost";
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The SMTP settings, or null when no connection URI is configured (messages then stay queued).</summary>
    public static SmtpSettings? From(WardenConfig config)
    {
        var raw = config.String("courier.smtp.connection_uri");
        if (string.IsNullOrWhiteSpace(raw)) return null;
        const string key = "courier.smtp.connection_uri";
        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps") || string.IsNullOrEmpty(uri.Host))
            throw new ConfigException(key, "expected smtp://[user:password@]host[:port]/ or smtps://… (the value is not shown because it may hold a password)");
        // ASP.NET's parser (loaded anyway) rather than HttpUtility's, which would load two assemblies at every start.
        var query = QueryHelpers.ParseQuery(uri.Query);
        string? Param(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;
        bool Flag(string name)
        {
            var v = Param(name);
            if (string.IsNullOrEmpty(v)) return false;
            return bool.TryParse(v, out var b) ? b : throw new ConfigException(key, $"the query parameter {name} must be true or false");
        }
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var implicitTls = uri.Scheme == "smtps";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (config.Node("courier.smtp.headers") is JsonObject h)
        {
            foreach (var (name, value) in h)
            {
                if (!MimeMessage.IsHeaderName(name)) throw new ConfigException($"courier.smtp.headers.{name}", "is not a valid header name");
                headers[name] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            }
        }
        var from = config.String("courier.smtp.from_address");
        if (from is { Length: > 0 } && !Address.IsValid(from))
            throw new ConfigException("courier.smtp.from_address", $"'{from}' is not an e-mail address");
        return new SmtpSettings
        {
            Host = uri.IdnHost.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? (implicitTls ? 465 : 25) : uri.Port,
            ImplicitTls = implicitTls,
            RequireStartTls = !implicitTls && !Flag("disable_starttls"),
            SkipVerify = Flag("skip_ssl_verify"),
            ServerName = Param("server_name") is { Length: > 0 } sn ? sn : null,
            User = user,
            Password = password,
            FromAddress = from is { Length: > 0 } ? from : "no-reply@ory.kratos.sh",
            FromName = config.String("courier.smtp.from_name"),
            Headers = headers,
            LocalName = config.String("courier.smtp.local_name") is { Length: > 0 } ln ? ln : "localhost",
        };
    }
}

/// <summary>The small amount of address checking SMTP needs: one line, no brackets or spaces, an @.</summary>
internal static class Address
{
    public static bool IsValid(string address) =>
        address.Length is > 2 and <= 512 && address.IndexOf('@') > 0 && address.IndexOf('@') < address.Length - 1
        && !address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"');

    public static bool IsAscii(string address) => address.All(c => c < '\u0080');
}
