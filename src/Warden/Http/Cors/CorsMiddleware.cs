using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Warden.Config;

namespace Warden.Http.Cors;

/// <summary>
/// CORS for the public port, so SPAs on sibling subdomains can call the API with credentials. Off unless
/// <c>serve.public.cors.enabled</c>. A disallowed origin gets no CORS headers at all (the browser then blocks
/// the response); preflights are always answered here with 204 and never reach routing.
/// <c>Access-Control-Allow-Origin: *</c> is only sent without credentials; with credentials the origin is
/// echoed and <c>Vary: Origin</c> keeps shared caches from serving one origin's answer to another.
/// </summary>
internal sealed class CorsMiddlewareContributor(WardenConfig config) : IMiddlewareContributor
{
    private readonly CorsPolicy _policy = CorsPolicy.From(config);

    public bool Public => true;

    public void Configure(IApplicationBuilder app)
    {
        if (_policy.Enabled) app.Use((context, next) => CorsHandler.HandleAsync(_policy, context, next));
    }
}

internal static class CorsHandler
{
    public static Task HandleAsync(CorsPolicy policy, HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        var preflight = HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);
        var vary = preflight
            ? new[] { HeaderNames.Origin, HeaderNames.AccessControlRequestMethod, HeaderNames.AccessControlRequestHeaders }
            : new[] { HeaderNames.Origin };
        var headers = new List<KeyValuePair<string, StringValues>>();
        var pattern = origin.Length == 0 ? null : policy.Match(origin);
        if (pattern is not null)
        {
            var method = preflight ? request.Headers.AccessControlRequestMethod.ToString() : request.Method;
            var requestedHeaders = preflight ? policy.AllowedRequestHeaders(request.Headers.AccessControlRequestHeaders.ToString()) : [];
            // Kratos compat: OPTIONS without a preflight and HEAD pass as actual requests when GET is allowed.
            var methodOk = policy.AllowsMethod(method) || (!preflight && (HttpMethods.IsOptions(method) || HttpMethods.IsHead(method) && policy.AllowsMethod("GET")));
            if (methodOk && requestedHeaders is not null)
            {
                var echo = !(pattern.Any && !policy.AllowCredentials);
                headers.Add(new(HeaderNames.AccessControlAllowOrigin, echo ? origin : "*"));
                if (policy.AllowCredentials) headers.Add(new(HeaderNames.AccessControlAllowCredentials, "true"));
                if (preflight)
                {
                    headers.Add(new(HeaderNames.AccessControlAllowMethods, string.Join(", ", policy.Methods)));
                    if (requestedHeaders.Count > 0) headers.Add(new(HeaderNames.AccessControlAllowHeaders, string.Join(", ", requestedHeaders)));
                    if (policy.MaxAgeSeconds > 0) headers.Add(new(HeaderNames.AccessControlMaxAge, policy.MaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                else if (policy.ExposedHeaders.Count > 0)
                {
                    headers.Add(new(HeaderNames.AccessControlExposeHeaders, string.Join(", ", policy.ExposedHeaders)));
                }
            }
        }
        if (preflight)
        {
            Apply(context.Response, vary, headers);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        // Applied when the response starts, not now: error rendering clears the headers set so far, and a
        // cross-origin SPA must still be able to read a 401/400 body.
        context.Response.OnStarting(() =>
        {
            Apply(context.Response, vary, headers);
            return Task.CompletedTask;
        });
        return next();
    }

    private static void Apply(HttpResponse response, string[] vary, List<KeyValuePair<string, StringValues>> headers)
    {
        foreach (var v in vary)
            if (!response.Headers.Vary.Any(existing => existing?.Split(',').Any(p => p.Trim().Equals(v, StringComparison.OrdinalIgnoreCase)) == true))
                response.Headers.Append(HeaderNames.Vary, v);
        foreach (var (name, value) in headers) response.Headers[name] = value;
    }
}
