using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Warden.Http;
using Warden.Http.Flows;
using Warden.SelfService.Flows;

namespace Warden.SelfService.Errors;

/// <summary><c>getFlowError</c>: what the error UI shows after a browser was sent there with <c>?id=</c>.</summary>
internal static class ErrorEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/self-service/errors", async (HttpContext ctx, ErrorStore errors) =>
        {
            var raw = ctx.Request.Query["id"].ToString();
            // Kratos compat: stub ids let UI developers render each error page without provoking it.
            var error = Stub(raw) ?? await errors.GetAsync(FlowStore.ParseId(raw, "id"), ctx.RequestAborted)
                ?? throw ApiException.NotFound("No error with this id exists.");
            await FlowResponder.JsonAsync(ctx, error);
        }).WithName("getFlowError");
    }

    private static JsonObject? Stub(string id)
    {
        ApiException? e = id switch
        {
            "stub:500" => new ApiException(500, "An internal server error occurred, please contact the system administrator", "This is a stub error."),
            "stub:404" => ApiException.NotFound("This is a stub error."),
            "stub:400" => ApiException.BadRequest("This is a stub error."),
            _ => null,
        };
        if (e is null) return null;
        return new JsonObject
        {
            ["id"] = id,
            ["error"] = ErrorWriter.ToJson(e)["error"]!.DeepClone(),
            ["created_at"] = DateTime.UtcNow,
            ["updated_at"] = DateTime.UtcNow,
        };
    }
}
