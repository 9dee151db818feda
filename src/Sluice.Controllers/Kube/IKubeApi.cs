using System.Text.Json.Nodes;

namespace Sluice.Controllers.Kube;

/// <summary>The Kubernetes API as JSON: every resource through one small surface. Errors are <see cref="KubeApiException"/>s.</summary>
public interface IKubeApi
{
    /// <summary>The object, or null when it does not exist.</summary>
    Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken);

    /// <summary>A list object (<c>items</c>, <c>metadata.resourceVersion</c>).</summary>
    Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken);

    Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken);

    /// <summary>Replaces an object; its metadata.resourceVersion is a precondition (409 when stale).</summary>
    Task<JsonObject> ReplaceAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken);

    /// <summary>Replaces the status subresource (409 when stale).</summary>
    Task<JsonObject> ReplaceStatusAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken);

    /// <summary>Applies a JSON merge patch (RFC 7386) to the object or one of its subresources.</summary>
    Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch, string? subresource, CancellationToken cancellationToken);

    /// <summary>Deletes an object; false when it was already gone.</summary>
    Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, string? propagationPolicy, CancellationToken cancellationToken);

    /// <summary>Watches changes after <paramref name="resourceVersion"/>; ends when the server closes the stream.</summary>
    IAsyncEnumerable<KubeWatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, CancellationToken cancellationToken);
}
