using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Warden.Config;
using Warden.Http;

namespace Warden.Schemas;

/// <summary>
/// Identity schemas: loaded and checked while the host is built (a broken schema stops startup, it does not
/// surface on the first registration; an unreachable remote one is logged and answers 503 until it loads),
/// served by <c>listIdentitySchemas</c> and <c>getIdentitySchema</c>.
/// Kratos serves both on the public and the admin port.
/// </summary>
public sealed class SchemasFeature : IWardenFeature
{
    public void AddServices(IServiceCollection services, WardenConfig config)
    {
        // Loaded here, not on first resolve, so a mistake in the configuration stops the host from being built.
        services.AddSingleton(IdentitySchemas.Load(config));
        services.AddSingleton<IHostedService, SchemaStartupReport>();
    }

    public void MapPublic(IEndpointRouteBuilder routes) => Map(routes, isPublic: true);

    public void MapAdmin(IEndpointRouteBuilder routes) => Map(routes, isPublic: false);

    private static void Map(IEndpointRouteBuilder routes, bool isPublic)
    {
        routes.MapGet("/schemas", (HttpContext http, IdentitySchemas schemas, BaseUrls urls) =>
            ListAsync(http, schemas, isPublic ? urls.Public : urls.Admin)).WithName("listIdentitySchemas");
        routes.MapGet("/schemas/{id}", async (HttpContext http, string id, IdentitySchemas schemas) =>
        {
            var schema = schemas.FindByUrlSegment(id) ?? throw ApiException.NotFound("The requested identity schema does not exist.");
            await schema.EnsureDocumentAsync(http.RequestAborted);
            return WardenJson.Json(schema.Document);
        }).WithName("getIdentitySchema");
    }

    private static async Task<IResult> ListAsync(HttpContext http, IdentitySchemas schemas, Uri baseUrl)
    {
        var page = SchemaPage.FromQuery(http.Request.Query);
        var all = schemas.All;
        var slice = all.Skip(page.Offset).Take(page.Size).ToList();
        foreach (var s in slice) await s.EnsureDocumentAsync(http.RequestAborted);
        var body = new JsonArray(slice.Select(s => (JsonNode)new JsonObject { ["id"] = s.Id, ["schema"] = s.Document.DeepClone() }).ToArray());
        http.Response.Headers["Link"] = page.Links(new Uri(baseUrl, "schemas").ToString(), all.Count);
        http.Response.Headers["X-Total-Count"] = all.Count.ToString(CultureInfo.InvariantCulture);
        return WardenJson.Json(body);
    }
}
