using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Warden.Http.Flows;

/// <summary>
/// Who is on the other end of a self-service request. It decides every response shape: browsers that
/// want HTML get redirects, browser apps speaking JSON (SPAs) get JSON plus cookies, native apps (API
/// flows) get JSON plus tokens and never cookies.
/// </summary>
public enum ClientKind { BrowserHtml, BrowserJson, Api }

public static class RequestKind
{
    public static ClientKind For(HttpRequest request, bool apiFlow) =>
        apiFlow ? ClientKind.Api : WantsJson(request) ? ClientKind.BrowserJson : ClientKind.BrowserHtml;

    /// <summary>
    /// Kratos compat: a request is JSON when its body is JSON or when content negotiation between
    /// text/html and application/json picks JSON; ties and a missing Accept header favour HTML.
    /// </summary>
    public static bool WantsJson(HttpRequest request)
    {
        if (WantsJsonBody(request)) return true;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept.Select(a => a ?? "").ToList(), out var accepts) || accepts.Count == 0)
            return false;
        var html = Quality(accepts, "text", "html");
        var json = Quality(accepts, "application", "json");
        return json > html;
    }

    /// <summary>True when the body is declared as JSON (<c>application/json</c> or a <c>+json</c> type).</summary>
    public static bool WantsJsonBody(HttpRequest request) =>
        request.ContentType is { } ct && MediaTypeHeaderValue.TryParse(ct, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The quality the Accept list gives one type, using its most specific matching entry.</summary>
    private static double Quality(IList<MediaTypeHeaderValue> accepts, string type, string subtype)
    {
        var best = -1.0;
        var bestSpecificity = -1;
        foreach (var a in accepts)
        {
            var t = a.Type.Value ?? "";
            var s = a.SubType.Value ?? "";
            int specificity;
            if (t.Equals(type, StringComparison.OrdinalIgnoreCase) && s.Equals(subtype, StringComparison.OrdinalIgnoreCase)) specificity = 2;
            else if (t.Equals(type, StringComparison.OrdinalIgnoreCase) && s == "*") specificity = 1;
            else if (t == "*" && s == "*") specificity = 0;
            else continue;
            if (specificity > bestSpecificity)
            {
                bestSpecificity = specificity;
                best = a.Quality ?? 1.0;
            }
        }
        return best;
    }
}
