using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Warden.Config;

namespace Warden.Courier.Smtp;

/// <summary>A failed delivery attempt; the message is safe to store (server replies, never credentials).</summary>
public sealed class SmtpException(string message, int code = 0) : Exception(message)
{
    public int Code { get; } = code;
}

/// <summary>
/// A small SMTP client (RFC 5321) for one message per connection: EHLO (HELO fallback), STARTTLS (RFC 3207)
/// or implicit TLS, AUTH PLAIN/LOGIN (RFC 4954), MAIL/RCPT/DATA with dot-stuffing, QUIT. Every step runs
/// under <see cref="SmtpSettings.Timeout"/>.
/// </summary>
internal static class SmtpClient
{
    public static async Task SendAsync(SmtpSettings s, string from, string recipient, byte[] message, CancellationToken ct)
    {
        if (!Address.IsValid(recipient)) throw new SmtpException("the recipient is not a deliverable e-mail address");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(s.Timeout);
        var token = timeout.Token;
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(s.Host, s.Port, token);
            Stream stream = tcp.GetStream();
            if (s.ImplicitTls) stream = await TlsAsync(stream, s, token);
            var conn = new SmtpConnection(stream);
            await conn.ExpectAsync(220, "greeting", token);
            var ext = await HelloAsync(conn, s, token);
            if (!s.ImplicitTls && s.RequireStartTls)
            {
                if (!ext.ContainsKey("STARTTLS"))
                    throw new SmtpException("the server does not offer STARTTLS; refusing to send in cleartext (add ?disable_starttls=true to the connection URI to allow it)");
                await conn.CommandAsync("STARTTLS", 220, token);
                conn = new SmtpConnection(await TlsAsync(stream, s, token));
                ext = await HelloAsync(conn, s, token); // RFC 3207: forget everything learned before TLS
            }
            var secure = s.ImplicitTls || s.RequireStartTls;
            if (!string.IsNullOrEmpty(s.User)) await AuthenticateAsync(conn, s, ext, secure, token);
            var utf8 = !Address.IsAscii(from) || !Address.IsAscii(recipient);
            if (utf8 && !ext.ContainsKey("SMTPUTF8")) throw new SmtpException("the address needs SMTPUTF8, which the server does not offer");
            await conn.CommandAsync($"MAIL FROM:<{from}>" + (utf8 ? " SMTPUTF8" : ""), 250, token);
            await conn.CommandAsync($"RCPT TO:<{recipient}>", 250, token, alsoOk: 251);
            await conn.CommandAsync("DATA", 354, token);
            await conn.WriteRawAsync(DotStuff(message), token);
            await conn.ExpectAsync(250, "end of data", token);
            try { await conn.CommandAsync("QUIT", 221, token); }
            catch (Exception e) when (e is SmtpException or IOException) { /* the message is accepted; a rude goodbye does not matter */ }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SmtpException($"no answer from {s.Host}:{s.Port} within {s.Timeout.TotalSeconds:0} seconds");
        }
        catch (SocketException e)
        {
            throw new SmtpException($"cannot connect to {s.Host}:{s.Port}: {e.SocketErrorCode}");
        }
        catch (AuthenticationException e)
        {
            throw new SmtpException($"TLS with {s.Host}:{s.Port} failed: {e.Message} (a self-signed certificate needs ?skip_ssl_verify=true)");
        }
        catch (IOException e)
        {
            throw new SmtpException($"the connection to {s.Host}:{s.Port} failed: {e.Message}");
        }
    }

    private static async Task<Dictionary<string, string>> HelloAsync(SmtpConnection conn, SmtpSettings s, CancellationToken ct)
    {
        var (code, lines) = await conn.SendAsync($"EHLO {s.LocalName}", ct);
        if (code != 250)
        {
            // RFC 5321 4.1.4: a server that does not know EHLO still knows HELO (and then has no extensions).
            await conn.CommandAsync($"HELO {s.LocalName}", 250, ct);
            return [];
        }
        var ext = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var space = line.IndexOf(' ');
            ext[space < 0 ? line : line[..space]] = space < 0 ? "" : line[(space + 1)..];
        }
        return ext;
    }

    private static async Task AuthenticateAsync(SmtpConnection conn, SmtpSettings s, Dictionary<string, string> ext, bool secure, CancellationToken ct)
    {
        // Like Kratos' mailer: a server that offers no AUTH gets the message without it.
        if (!ext.TryGetValue("AUTH", out var mechanisms)) return;
        if (!secure && !HostNames.IsLoopback(s.Host))
            throw new SmtpException("refusing to send the SMTP password over a cleartext connection to a remote host");
        var offered = mechanisms.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => m.ToUpperInvariant()).ToHashSet();
        var user = s.User ?? "";
        var password = s.Password ?? "";
        if (offered.Contains("PLAIN"))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));
            await conn.CommandAsync("AUTH PLAIN " + token, 235, ct, redacted: "AUTH PLAIN");
        }
        else if (offered.Contains("LOGIN"))
        {
            await conn.CommandAsync("AUTH LOGIN", 334, ct);
            await conn.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(user)), 334, ct, redacted: "AUTH LOGIN user");
            await conn.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), 235, ct, redacted: "AUTH LOGIN password");
        }
        else
        {
            throw new SmtpException($"the server offers no supported AUTH mechanism (it offers: {mechanisms})");
        }
    }

    private static async Task<Stream> TlsAsync(Stream inner, SmtpSettings s, CancellationToken ct)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = s.ServerName ?? s.Host,
            EnabledSslProtocols = SslProtocols.None, // the OS default: TLS 1.2 and 1.3
        };
        if (s.SkipVerify) options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        await ssl.AuthenticateAsClientAsync(options, ct);
        return ssl;
    }

    /// <summary>RFC 5321 4.5.2: a line starting with '.' gets another; the data ends with CRLF.CRLF.</summary>
    public static byte[] DotStuff(byte[] message)
    {
        var output = new MemoryStream(message.Length + 64);
        var lineStart = true;
        foreach (var b in message)
        {
            if (lineStart && b == (byte)'.') output.WriteByte((byte)'.');
            output.WriteByte(b);
            lineStart = b == (byte)'\n';
        }
        if (!lineStart) output.Write("\r\n"u8);
        output.Write(".\r\n"u8);
        return output.ToArray();
    }
}
