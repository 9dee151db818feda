using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Manifests;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// Writes only what differs: reads the object fresh, applies a change to a copy, and sends the merge patch
/// between them with the read resourceVersion as a precondition (a 409 means someone else wrote; the
/// reconcile starts over). An intent already in place costs a read and no write.
/// </summary>
public sealed class WorkloadPatcher(IKubeApi api)
{
    public IKubeApi Api => api;

    /// <summary>The patched object, the unchanged one when nothing differed, or null when it does not exist.</summary>
    public async Task<JsonObject?> PatchAsync(ResourceKind kind, string ns, string name, Action<JsonObject> change, CancellationToken cancellationToken)
    {
        var current = await api.GetAsync(kind, ns, name, cancellationToken);
        return current is null ? null : await PatchAsync(kind, current, change, cancellationToken);
    }

    /// <summary>As above, from <paramref name="current"/> the caller has just read.</summary>
    public async Task<JsonObject> PatchAsync(ResourceKind kind, JsonObject current, Action<JsonObject> change, CancellationToken cancellationToken)
    {
        var desired = current.DeepClone().AsObject();
        change(desired);
        var patch = MergePatch.Diff(current, desired);
        if (patch is null)
        {
            return current;
        }

        JsonPath.Set(patch, "metadata.resourceVersion", JsonPath.String(current, "metadata.resourceVersion"));
        return await api.MergePatchAsync(kind, JsonPath.String(current, "metadata.namespace"), JsonPath.String(current, "metadata.name")!, patch, null, cancellationToken);
    }
}
