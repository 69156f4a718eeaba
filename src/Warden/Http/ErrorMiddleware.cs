using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Warden.Http;

/// <summary>
/// Outermost middleware: turns every failure into the Kratos error shape. Unknown exceptions become a
/// generic 500 whose body names no internals; the stack trace goes to the log only.
/// </summary>
internal sealed class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            // Refuse a declared oversize body before any endpoint runs; Kestrel's own limit covers chunked bodies.
            if (context.Request.ContentLength > WardenHost.MaxRequestBodyBytes)
                throw ApiException.PayloadTooLarge("The request body exceeds the maximum allowed size of 5 MB.");
            await next(context);
            if (context.Response.StatusCode == 404 && !context.Response.HasStarted && context.GetEndpoint() is null)
                await ErrorWriter.WriteAsync(context, ApiException.NotFound("No route matches this request."));
            else if (context.Response.StatusCode == 405 && !context.Response.HasStarted)
                await ErrorWriter.WriteAsync(context, new ApiException(405, "The request method is not allowed for this resource", "Method not allowed."));
        }
        catch (ApiException e)
        {
            await ErrorWriter.WriteAsync(context, e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ErrorWriter.WriteAsync(context, ApiException.PayloadTooLarge("The request body exceeds the maximum allowed size."));
        }
        catch (BadHttpRequestException e)
        {
            await ErrorWriter.WriteAsync(context, new ApiException(e.StatusCode, "The request was malformed or contained invalid parameters", "The HTTP request could not be read."));
        }
        catch (JsonException)
        {
            await ErrorWriter.WriteAsync(context, ApiException.BadRequest("The request body is not valid JSON."));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (Persistence.Database.IsUnavailable(e))
        {
            // Beyond Kratos (which answers 500): the database being down, restarting or out of connections is not a
            // bug in the request, and a client or load balancer may retry it. The type only: driver messages can
            // name hosts and users.
            log.LogWarning("Database unavailable ({Type}) on {Method} {Path}", e.GetType().FullName, context.Request.Method, context.Request.Path.Value);
            await ErrorWriter.WriteAsync(context, ApiException.Unavailable("The database cannot be reached right now. Please try again in a moment."));
        }
        catch (Exception e)
        {
            // Log the type and stack only: exception messages from drivers can echo parameter values.
            log.LogError("Unhandled {Type} on {Method} {Path}: {Stack}", e.GetType().FullName, context.Request.Method,
                context.Request.Path.Value, e.StackTrace);
            await ErrorWriter.WriteAsync(context, new ApiException(500,
                "An internal server error occurred, please contact the system administrator", "An unexpected error occurred."));
        }
    }
}
