using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Warden.Courier.Sms;
using Warden.Schemas;

namespace Warden.Courier.Delivery;

/// <summary>
/// Delivers an SMS through the configured HTTP channel with the payload of Kratos' default request body
/// (recipient, template_type, to, recovery_code, recovery_url, verification_url, verification_code, subject,
/// body). Without a channel, or with a jsonnet body Warden cannot evaluate, the message is abandoned with
/// a dispatch error that says why.
/// </summary>
internal sealed class SmsSender(HttpChannel? channel)
{
    private static readonly HttpClient Shared = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task SendAsync(MessageRow m, CancellationToken ct)
    {
        if (channel is null)
            throw new DeliveryException("no SMS channel is configured (courier.channels with id sms)", permanent: true);
        if (channel.CustomBody is not null)
            throw new DeliveryException($"{channel.Key}.body: jsonnet request bodies are not supported by Warden; remove it to send the default payload", permanent: true);
        var data = m.TemplateData is { Length: > 0 } td ? JsonNode.Parse(td) as JsonObject : null;
        string? Field(string name) => JsonKit.AsString(data?[name]);
        var payload = new JsonObject
        {
            ["recipient"] = m.Recipient,
            ["template_type"] = m.TemplateType,
            ["to"] = Field("To"),
            ["recovery_code"] = Field("RecoveryCode"),
            ["recovery_url"] = Field("RecoveryURL"),
            ["verification_url"] = Field("VerificationURL"),
            ["verification_code"] = Field("VerificationCode"),
            ["subject"] = m.Subject,
            ["body"] = m.Body,
        };
        if (channel.Sender is not null) payload["from"] = channel.Sender;
        using var request = new HttpRequestMessage(new HttpMethod(channel.Method), channel.Url);
        if (channel.Method is not ("GET" or "HEAD" or "DELETE"))
            request.Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        foreach (var (name, value) in channel.Headers) request.Headers.TryAddWithoutValidation(name, value);
        if (channel.Basic is { } basic)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.User}:{basic.Password}")));
        if (channel.ApiKey is { } key)
        {
            if (key.InCookie) request.Headers.TryAddWithoutValidation("Cookie", $"{key.Name}={key.Value}");
            else request.Headers.TryAddWithoutValidation(key.Name, key.Value);
        }
        HttpResponseMessage response;
        try
        {
            response = await Shared.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new DeliveryException($"sms: {channel.Url.GetLeftPart(UriPartial.Path)} is not reachable: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DeliveryException($"sms: {channel.Url.GetLeftPart(UriPartial.Path)} did not answer in time");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new DeliveryException($"sms: {channel.Url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}");
        }
    }
}
