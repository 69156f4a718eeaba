namespace Warden.Config;

/// <summary><c>serve.public</c> / <c>serve.admin</c>: where each API listens and how it names itself.</summary>
public sealed class ServeEndpointConfig
{
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? BaseUrl { get; set; }
    public string? SocketPath { get; set; }
    public CorsConfig Cors { get; set; } = new();
    public ServeTlsConfig? Tls { get; set; }
}

public sealed class ServeTlsConfig
{
    public TlsMaterial? Cert { get; set; }
    public TlsMaterial? Key { get; set; }
}

public sealed class TlsMaterial
{
    public string? Path { get; set; }
    public string? Base64 { get; set; }
}

/// <summary><c>serve.public.cors</c>, Kratos' keys.</summary>
public sealed class CorsConfig
{
    public bool Enabled { get; set; }
    public List<string> AllowedOrigins { get; set; } = [];
    public List<string> AllowedMethods { get; set; } = ["POST", "GET", "PUT", "PATCH", "DELETE"];
    public List<string> AllowedHeaders { get; set; } = ["Authorization", "Content-Type", "X-Session-Token", "Cookie"];
    public List<string> ExposedHeaders { get; set; } = ["Content-Type", "Set-Cookie"];
    public bool AllowCredentials { get; set; } = true;
    public int MaxAge { get; set; }
    public bool Debug { get; set; }
}

/// <summary>
/// The public and admin base URLs. Configured values win; otherwise they are derived from the address
/// actually bound (so port 0 in tests yields the right URLs).
/// </summary>
public sealed class BaseUrls
{
    public Uri Public { get; set; } = new("http://127.0.0.1:4433/");
    public Uri Admin { get; set; } = new("http://127.0.0.1:4434/");

    /// <summary>An absolute URL on the public API for a path such as <c>/self-service/login</c>.</summary>
    public string PublicUrl(string path) => new Uri(Public, path.TrimStart('/')).ToString();

    public string AdminUrl(string path) => new Uri(Admin, path.TrimStart('/')).ToString();
}
