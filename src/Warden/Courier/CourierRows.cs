namespace Warden.Courier;

/// <summary>Message status values (stored and on the wire).</summary>
public static class MessageStatus
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Sent = "sent";
    public const string Abandoned = "abandoned";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Queued, Processing, Sent, Abandoned };
}

/// <summary>One row of <c>courier_messages</c>.</summary>
public sealed class MessageRow
{
    public Guid Id { get; set; }
    public string Type { get; set; } = "email";
    public string? Channel { get; set; }
    public string Status { get; set; } = MessageStatus.Queued;
    public string Recipient { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public string? HtmlBody { get; set; }
    public string TemplateType { get; set; } = "";
    public string? TemplateData { get; set; }
    public int SendCount { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One delivery attempt (<c>courier_message_dispatches</c>): status success or failed, and why it failed.</summary>
public sealed class DispatchRow
{
    public Guid Id { get; set; }
    public Guid MessageId { get; set; }
    public string Status { get; set; } = "";
    public string? Error { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
