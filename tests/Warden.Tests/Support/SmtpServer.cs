using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Warden.Tests.Support;

/// <summary>How the test SMTP server speaks: cleartext, STARTTLS (required before MAIL), or implicit TLS.</summary>
public enum SmtpTls
{
    None,
    StartTls,
    Implicit,
}

public sealed record SmtpServerOptions
{
    public SmtpTls Tls { get; init; } = SmtpTls.None;

    /// <summary>When set, the server offers AUTH PLAIN/LOGIN and refuses mail from unauthenticated clients.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }
}

/// <summary>One delivered message, as Python's e-mail package parsed it (headers decoded, bodies decoded).</summary>
public sealed record ReceivedMail(
    string MailFrom,
    IReadOnlyList<string> Recipients,
    string To,
    string From,
    string Subject,
    string? Text,
    string? Html,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Raw,
    bool Tls,
    string? AuthUser)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// A real SMTP server for tests: Debian's aiosmtpd (<c>python3-aiosmtpd</c>) on 127.0.0.1 and a free port, with
/// a small handler that writes every accepted message as JSON into a folder. It can be stopped and restarted on
/// the same port (SMTP outage tests). TLS modes use a self-signed certificate made here at start.
/// Usage: <c>await using var smtp = await SmtpServer.StartAsync();</c> then configure Warden with
/// <see cref="ConnectionUri"/> and read mail with <see cref="WaitForMessageAsync"/>.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";
    private readonly string _dir;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private Process? _process;

    private SmtpServer(SmtpServerOptions options, int port, string dir)
    {
        Options = options;
        Port = port;
        _dir = dir;
    }

    public SmtpServerOptions Options { get; }
    public string Host => "127.0.0.1";
    public int Port { get; }
    public bool Running => _process is { HasExited: false };

    /// <summary>
    /// The <c>courier.smtp.connection_uri</c> that reaches this server: credentials when it has them,
    /// <c>disable_starttls=true</c> for cleartext, <c>skip_ssl_verify=true</c> for its self-signed certificate.
    /// </summary>
    public string ConnectionUri
    {
        get
        {
            var auth = Options.User is null ? "" : $"{Uri.EscapeDataString(Options.User)}:{Uri.EscapeDataString(Options.Password ?? "")}@";
            return Options.Tls switch
            {
                SmtpTls.None => $"smtp://{auth}{Host}:{Port}/?disable_starttls=true",
                SmtpTls.StartTls => $"smtp://{auth}{Host}:{Port}/?skip_ssl_verify=true",
                _ => $"smtps://{auth}{Host}:{Port}/?skip_ssl_verify=true",
            };
        }
    }

    public static async Task<SmtpServer> StartAsync(SmtpServerOptions? options = null)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException("The SMTP tests need /usr/bin/python3 with Debian's python3-aiosmtpd (./test.sh installs it).");
        var dir = Path.Combine(Path.GetTempPath(), "warden-smtp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(dir, "mail"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Courier", "smtp_server.py"), Path.Combine(dir, "server.py"));
        options ??= new SmtpServerOptions();
        if (options.Tls != SmtpTls.None) WriteSelfSignedCertificate(dir);
        var server = new SmtpServer(options, Ports.Free(), dir);
        await server.LaunchAsync();
        return server;
    }

    /// <summary>Every message received so far, oldest first.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        var list = new List<ReceivedMail>();
        foreach (var file in Directory.GetFiles(Path.Combine(_dir, "mail"), "*.json").Order(StringComparer.Ordinal))
            list.Add(Read(file));
        return list;
    }

    public IReadOnlyList<ReceivedMail> MessagesTo(string recipient) =>
        Messages().Where(m => m.Recipients.Any(r => string.Equals(r, recipient, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>
    /// Waits for the next message to <paramref name="recipient"/> that this method has not returned before
    /// (so two calls return two different messages). The default wait is long (60 s): it bounds a hang, it is
    /// not a timing assertion.
    /// </summary>
    public async Task<ReceivedMail> WaitForMessageAsync(string recipient, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(_dir, "mail"), "*.json").Order(StringComparer.Ordinal))
            {
                lock (_taken) if (_taken.Contains(file)) continue;
                var mail = Read(file);
                if (!mail.Recipients.Any(r => string.Equals(r, recipient, StringComparison.OrdinalIgnoreCase))) continue;
                lock (_taken) if (!_taken.Add(file)) continue;
                return mail;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No message to {recipient} arrived at the test SMTP server on port {Port}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the server (the port is refused until <see cref="RestartAsync"/>); received mail is kept.</summary>
    public async Task StopAsync()
    {
        var p = _process;
        _process = null;
        if (p is null) return;
        try
        {
            // Closing stdin asks the script to stop; kill only if it does not.
            p.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await p.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
        }
        finally
        {
            p.Dispose();
        }
    }

    /// <summary>Starts the server again on the same port, with the same options and certificate.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task LaunchAsync()
    {
        var args = new List<string> { Path.Combine(_dir, "server.py"), "--port", Port.ToString(), "--dir", Path.Combine(_dir, "mail") };
        if (Options.Tls == SmtpTls.StartTls) args.AddRange(["--starttls", Path.Combine(_dir, "cert.pem"), Path.Combine(_dir, "key.pem")]);
        if (Options.Tls == SmtpTls.Implicit) args.AddRange(["--smtps", Path.Combine(_dir, "cert.pem"), Path.Combine(_dir, "key.pem")]);
        if (Options.User is not null) args.AddRange(["--user", Options.User, "--password", Options.Password ?? ""]);
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        var stderr = p.StandardError.ReadToEndAsync();
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line;
        try
        {
            line = await p.StandardOutput.ReadLineAsync(ready.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }
        if (line != "READY")
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await p.WaitForExitAsync();
            var why = await stderr;
            p.Dispose();
            throw new InvalidOperationException($"The test SMTP server did not start (is python3-aiosmtpd installed?): {line} {why}");
        }
        _process = p;
    }

    private static ReceivedMail Read(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var r = doc.RootElement;
        string S(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        string? N(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new ReceivedMail(
            S("mail_from"),
            r.GetProperty("rcpt_tos").EnumerateArray().Select(e => e.GetString()!).ToList(),
            S("to"), S("from"), S("subject"), N("text"), N("html"),
            r.GetProperty("headers").EnumerateArray().Select(h => new KeyValuePair<string, string>(h[0].GetString()!, h[1].GetString()!)).ToList(),
            S("raw"),
            r.GetProperty("tls").GetBoolean(),
            N("auth_user"));
    }

    private static void WriteSelfSignedCertificate(string dir)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(dir, "cert.pem"), cert.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }
}
