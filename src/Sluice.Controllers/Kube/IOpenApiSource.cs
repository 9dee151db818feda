using System.Text.Json.Nodes;

namespace Sluice.Controllers.Kube;

/// <summary>An API server's OpenAPI v3 documents, one per group/version (<c>/openapi/v3/apis/apps/v1</c>).</summary>
public interface IOpenApiSource
{
    /// <summary>The document of <paramref name="apiVersion"/> (<c>apps/v1</c>, <c>v1</c>), or null when the server has none.</summary>
    Task<JsonObject?> OpenApiV3Async(string apiVersion, CancellationToken cancellationToken);
}
