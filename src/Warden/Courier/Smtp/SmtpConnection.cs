using System.Globalization;
using System.Text;

namespace Warden.Courier.Smtp;

/// <summary>Commands and (multi-line) replies over one stream. Replies are bounded so a hostile server cannot exhaust memory.</summary>
internal sealed class SmtpConnection(Stream stream)
{
    private const int MaxLine = 4096;
    private const int MaxLines = 100;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    public async Task<(int Code, List<string> Lines)> SendAsync(string command, CancellationToken ct)
    {
        await WriteRawAsync(Encoding.UTF8.GetBytes(command + "\r\n"), ct);
        return await ReadReplyAsync(ct);
    }

    /// <summary>Sends a command and requires the given reply code. <paramref name="redacted"/> replaces the command in errors.</summary>
    public async Task CommandAsync(string command, int expected, CancellationToken ct, int alsoOk = 0, string? redacted = null)
    {
        var (code, lines) = await SendAsync(command, ct);
        if (code != expected && (alsoOk == 0 || code != alsoOk))
            throw new SmtpException($"{Verb(redacted ?? command)} was refused: {code} {string.Join(" ", lines)}".TrimEnd(), code);
    }

    public async Task ExpectAsync(int expected, string what, CancellationToken ct)
    {
        var (code, lines) = await ReadReplyAsync(ct);
        if (code != expected) throw new SmtpException($"unexpected reply to {what}: {code} {string.Join(" ", lines)}".TrimEnd(), code);
    }

    public async Task WriteRawAsync(byte[] data, CancellationToken ct)
    {
        await stream.WriteAsync(data, ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>Only the command word (and for MAIL/RCPT the addresses, which are not secret) goes into an error.</summary>
    private static string Verb(string command) =>
        command.StartsWith("MAIL", StringComparison.Ordinal) || command.StartsWith("RCPT", StringComparison.Ordinal) || command.StartsWith("AUTH", StringComparison.Ordinal)
            ? command
            : command.Split(' ')[0];

    private async Task<(int Code, List<string> Lines)> ReadReplyAsync(CancellationToken ct)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(ct);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                throw new SmtpException($"the server sent a malformed reply: {Clip(line)}");
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ') return (code, lines);
            if (line[3] != '-') throw new SmtpException($"the server sent a malformed reply: {Clip(line)}");
            if (lines.Count > MaxLines) throw new SmtpException("the server sent an overlong reply");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer, ct);
                if (_end == 0) throw new SmtpException("the server closed the connection");
            }
            var b = _buffer[_start++];
            if (b == '\n')
            {
                if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
                return Encoding.UTF8.GetString(line.ToArray());
            }
            line.Add(b);
            if (line.Count > MaxLine) throw new SmtpException("the server sent an overlong line");
        }
    }

    private static string Clip(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
