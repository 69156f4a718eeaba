using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Warden.Http;

namespace Warden.Identities.Admin;

/// <summary>Small request helpers for the admin identity endpoints: ids, include_credential, error mapping.</summary>
internal static class AdminRequest
{
    /// <summary>Every credential type Kratos names (the include_credential and deleteIdentityCredentials enum).</summary>
    public static readonly IReadOnlySet<string> CredentialTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "password", "oidc", "totp", "lookup_secret", "webauthn", "code", "passkey", "profile", "saml", "deviceauthn",
        "identifier_first", "link_recovery", "code_recovery",
    };

    public static Guid ParseId(string raw, string name = "id") =>
        Guid.TryParse(raw, out var id) && raw.Length == 36
            ? id
            : throw ApiException.BadRequest($"The {name} \"{Clip(raw)}\" is not a valid UUID.");

    /// <summary><c>include_credential</c>, repeated (Kratos) or comma-separated; unknown types are a 400.</summary>
    public static IReadOnlyCollection<string> IncludeCredential(HttpRequest request)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in request.Query["include_credential"])
        foreach (var t in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!CredentialTypes.Contains(t)) throw ApiException.BadRequest($"include_credential \"{Clip(t)}\" is not a credential type.");
            set.Add(t);
        }
        return set;
    }

    /// <summary>Any JSON body (patch documents are arrays); malformed JSON is a 400.</summary>
    public static async Task<JsonNode?> ReadNodeAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 },
                cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("The request body is not valid JSON.");
        }
    }

    /// <summary>The service's domain exceptions in the Kratos error shape.</summary>
    public static ApiException ToApi(Exception e) => e switch
    {
        TraitValidationException t => ApiException.BadRequest(
            "The traits do not match the identity schema: " + string.Join("; ", t.Errors.Select(x => $"{x.Path}: {x.Text}")),
            details: new JsonObject
            {
                ["errors"] = new JsonArray(t.Errors.Select(x => (JsonNode)new JsonObject
                {
                    ["path"] = x.Path, ["id"] = x.MessageId, ["text"] = x.Text, ["context"] = x.Context.DeepClone(),
                }).ToArray()),
            }),
        DuplicateIdentifierException d => ApiException.Conflict(d.Kind switch
        {
            DuplicateKind.IdentityRow => "Another identity already has this external_id.",
            DuplicateKind.VerifiableAddress or DuplicateKind.RecoveryAddress => "Another identity already uses this address.",
            _ => "Another identity already uses this identifier.",
        }),
        _ => throw new ArgumentException("not a domain exception", nameof(e)),
    };

    /// <summary>Endpoint filter: domain exceptions become API errors; everything else propagates.</summary>
    public static async ValueTask<object?> MapErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is TraitValidationException or DuplicateIdentifierException)
        {
            throw ToApi(e);
        }
    }

    /// <summary>Echo at most a little of what the client sent, so an error cannot be used to reflect large payloads.</summary>
    public static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
