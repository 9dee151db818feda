using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>One kind of API call as RBAC sees it: verb, API group, resource (with "/subresource"), namespace ("" cluster-wide).</summary>
public sealed record ApiCall(string Verb, string Group, string Resource, string Namespace)
{
    public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Namespace.Length == 0 ? "" : $" in {Namespace}")}";
}

/// <summary>
/// The API the controllers are given, recording every request they send to the server (what RBAC authorizes: reads
/// answered from their caches never reach it). Everything is passed through unchanged.
/// </summary>
public sealed class RecordingKubeApi(IKubeApi inner) : IKubeApi
{
    private readonly ConcurrentDictionary<ApiCall, int> calls = new();

    public IReadOnlyCollection<ApiCall> Calls => calls.Keys.ToList();

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken) =>
        Recorded("get", kind, ns, null, () => inner.GetAsync(kind, ns, name, cancellationToken));

    public Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken) =>
        Recorded("list", kind, ns, null, () => inner.ListAsync(kind, ns, labelSelector, cancellationToken));

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        Recorded("create", kind, ns, null, () => inner.CreateAsync(kind, ns, obj, cancellationToken));

    public Task<JsonObject> ReplaceAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        Recorded("update", kind, ns, null, () => inner.ReplaceAsync(kind, ns, obj, cancellationToken));

    public Task<JsonObject> ReplaceStatusAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) =>
        Recorded("update", kind, ns, "status", () => inner.ReplaceStatusAsync(kind, ns, obj, cancellationToken));

    public Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch, string? subresource, CancellationToken cancellationToken) =>
        Recorded("patch", kind, ns, subresource, () => inner.MergePatchAsync(kind, ns, name, patch, subresource, cancellationToken));

    public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, string? propagationPolicy, CancellationToken cancellationToken) =>
        Recorded("delete", kind, ns, null, () => inner.DeleteAsync(kind, ns, name, propagationPolicy, cancellationToken));

    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Record("watch", kind, ns, null);
        await foreach (var change in inner.WatchAsync(kind, ns, resourceVersion, cancellationToken))
        {
            yield return change;
        }
    }

    private Task<T> Recorded<T>(string verb, ResourceKind kind, string? ns, string? subresource, Func<Task<T>> call)
    {
        Record(verb, kind, ns, subresource);
        return call();
    }

    private void Record(string verb, ResourceKind kind, string? ns, string? subresource) =>
        calls.AddOrUpdate(new ApiCall(verb, kind.Group, subresource is null ? kind.Plural : $"{kind.Plural}/{subresource}", kind.Namespaced ? ns ?? "" : ""), 1, (_, n) => n + 1);
}
