using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// The API as the reconcilers see it (controller-runtime's delegating client): a get of a kind an informer
/// watches is answered from the informer's cache once it has synced (and a list by the one label it indexes),
/// every other request goes to the server,
/// and what a write returns goes into the cache at once so the next read sees it. A cached read may be a
/// little behind the server; every write carries the resourceVersion it read, so a stale read costs a 409
/// and a retry, never a lost update.
/// </summary>
public sealed class CachedKubeApi(IKubeApi api) : IKubeApi
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ResourceKind, Informer> informers = new();

    /// <summary>Answers gets of <paramref name="informer"/>'s kind from its cache (also while the reconcilers run: a declared kind is watched once declared).</summary>
    public CachedKubeApi Serve(Informer informer)
    {
        informers[informer.Kind] = informer;
        return this;
    }

    /// <summary>Stops answering from <paramref name="informer"/> (its kind is no longer watched); reads go to the server again.</summary>
    public void Unserve(Informer informer) =>
        informers.TryRemove(new KeyValuePair<ResourceKind, Informer>(informer.Kind, informer));

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken) =>
        Cache(kind, ns) is { } informer
            ? Task.FromResult(informer.Get(kind.Namespaced ? ns : null, name))
            : api.GetAsync(kind, ns, name, cancellationToken);

    /// <summary>From the cache when the selector is one <c>label=value</c> the informer indexes; otherwise from the server.</summary>
    public Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        if (Cache(kind, ns) is { IndexedLabel: { } label } informer
            && labelSelector?.Split('=') is [var key, var value] && key == label && value.Length > 0 && !value.Contains(',', StringComparison.Ordinal))
        {
            var items = informer.ListByLabel(value).Where(o => ns is null || o["metadata"]?["namespace"]?.GetValue<string>() == ns);
            return Task.FromResult(new JsonObject
            {
                ["items"] = new JsonArray([.. items]),
                ["metadata"] = new JsonObject { ["resourceVersion"] = informer.ResourceVersion },
            });
        }

        return api.ListAsync(kind, ns, labelSelector, cancellationToken);
    }

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        Remember(kind, ns, await api.CreateAsync(kind, ns, obj, cancellationToken), created: true);

    public async Task<JsonObject> ReplaceAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        Remember(kind, ns, await api.ReplaceAsync(kind, ns, obj, cancellationToken), created: false);

    public async Task<JsonObject> ReplaceStatusAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        Remember(kind, ns, await api.ReplaceStatusAsync(kind, ns, obj, cancellationToken), created: false);

    public async Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch, string? subresource, CancellationToken cancellationToken) =>
        Remember(kind, ns, await api.MergePatchAsync(kind, ns, name, patch, subresource, cancellationToken), created: false);

    public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, string? propagationPolicy, CancellationToken cancellationToken) =>
        api.DeleteAsync(kind, ns, name, propagationPolicy, cancellationToken);

    public IAsyncEnumerable<KubeWatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, CancellationToken cancellationToken) =>
        api.WatchAsync(kind, ns, resourceVersion, cancellationToken);

    private Informer? Cache(ResourceKind kind, string? ns) =>
        informers.TryGetValue(kind, out var informer) && informer.IsSynced && (informer.Namespace is null || informer.Namespace == ns)
            ? informer
            : null;

    private JsonObject Remember(ResourceKind kind, string? ns, JsonObject written, bool created)
    {
        Cache(kind, ns)?.Observe(written, created);
        return written;
    }
}
