using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http;

namespace Warden.Identities.Admin;

/// <summary>
/// batchPatchIdentities: creates many identities, each in its own transaction, and reports per item.
/// 200 when at least one succeeded; when every item failed, the first item's error is the response.
/// </summary>
internal static class BatchPatchIdentities
{
    public const int MaxItems = 1000;
    /// <summary>Plaintext passwords must be hashed here, which is slow: fewer of those per request.</summary>
    public const int MaxItemsWithPlaintext = 200;
    private const int Parallelism = 4;

    public static async Task<IResult> HandleAsync(HttpRequest request, IdentityService service)
    {
        var body = await WardenJson.ReadObjectAsync(request);
        if (body["identities"] is not JsonArray items) throw ApiException.BadRequest("identities must be an array.");
        if (items.Count > MaxItems) throw ApiException.BadRequest($"At most {MaxItems} identities can be imported per request.");
        if (items.Count(HasPlaintextPassword) > MaxItemsWithPlaintext)
            throw ApiException.BadRequest($"At most {MaxItemsWithPlaintext} identities with plaintext passwords can be imported per request.");
        var patches = items.Select((item, n) => item as JsonObject ?? throw ApiException.BadRequest($"identities[{n}] must be an object.")).ToList();
        var patchIds = patches.Select((p, n) => p["patch_id"] is null ? null : IdentityRequest.Uuid(p, "patch_id")).ToList();

        var results = new JsonObject[patches.Count];
        var errors = new ApiException?[patches.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, patches.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = request.HttpContext.RequestAborted },
            async (n, ct) =>
            {
                try
                {
                    if (patches[n]["create"] is not JsonObject create) throw ApiException.BadRequest("Each patch needs a create object.");
                    var identity = await service.CreateAsync(IdentityRequest.ReadCreate(create), ct);
                    results[n] = Result("create", identity.Id, patchIds[n], null);
                }
                catch (Exception e) when (e is ApiException or TraitValidationException or DuplicateIdentifierException)
                {
                    var api = e as ApiException ?? AdminRequest.ToApi(e);
                    errors[n] = api;
                    results[n] = Result("error", null, patchIds[n], api);
                }
            });
        if (patches.Count > 0 && errors.All(e => e is not null)) throw errors[0]!;
        return WardenJson.Json(new JsonObject { ["identities"] = new JsonArray(results.Select(r => (JsonNode)r).ToArray()) });
    }

    private static bool HasPlaintextPassword(JsonNode? item) =>
        item?["create"]?["credentials"]?["password"]?["config"]?["password"] is JsonValue;

    private static JsonObject Result(string action, Guid? identity, Guid? patchId, ApiException? error)
    {
        var o = new JsonObject { ["action"] = action };
        if (identity is { } id) o["identity"] = id.ToString();
        if (patchId is { } pid) o["patch_id"] = pid.ToString();
        if (error is not null) o["error"] = ErrorWriter.ToJson(error)["error"]!.DeepClone();
        return o;
    }
}
