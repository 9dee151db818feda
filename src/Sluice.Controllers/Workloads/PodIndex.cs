using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Workloads;

/// <summary>Where adapters that count pods find them.</summary>
public interface IPodIndex
{
    /// <summary>Pods in <paramref name="ns"/> owned by the object with <paramref name="ownerUid"/>.</summary>
    Task<IReadOnlyList<JsonObject>> OwnedByAsync(string ns, string ownerUid, CancellationToken cancellationToken);
}

/// <summary>
/// Pods listed on demand, only those of templates a rollout stamped. No pod informer: a ready pod changes its
/// workload's status, and the workload watch triggers the reconcile; the controller keeps no pod cache.
/// </summary>
public sealed class ApiPodIndex(IKubeApi api) : IPodIndex
{
    public async Task<IReadOnlyList<JsonObject>> OwnedByAsync(string ns, string ownerUid, CancellationToken cancellationToken)
    {
        var list = await api.ListAsync(ResourceKind.Pod, ns, WorkloadMarks.TemplateHashLabel, cancellationToken);
        return (list["items"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(p => (JsonPath.Get(p, "metadata.ownerReferences") as JsonArray ?? []).Any(o => JsonPath.String(o, "uid") == ownerUid))
            .ToList();
    }
}

internal static class Pods
{
    public static bool IsReady(JsonObject pod) =>
        JsonPath.Get(pod, "metadata.deletionTimestamp") is null
        && JsonPath.Get(pod, "status.conditions") is JsonArray conditions
        && conditions.Any(c => JsonPath.String(c, "type") == "Ready" && JsonPath.String(c, "status") == "True");

    public static string? TemplateHash(JsonObject pod) =>
        JsonPath.Get(pod, "metadata.labels") is JsonObject labels ? labels[WorkloadMarks.TemplateHashLabel]?.GetValue<string>() : null;

    /// <summary>Live pods counted by whether they run <paramref name="hash"/>.</summary>
    public static InPlaceCounts Count(IEnumerable<JsonObject> pods, string hash)
    {
        int updated = 0, updatedReady = 0, others = 0, othersReady = 0;
        foreach (var pod in pods)
        {
            if (JsonPath.Get(pod, "metadata.deletionTimestamp") is not null)
            {
                continue;
            }

            var ready = IsReady(pod);
            if (TemplateHash(pod) == hash)
            {
                updated++;
                updatedReady += ready ? 1 : 0;
            }
            else
            {
                others++;
                othersReady += ready ? 1 : 0;
            }
        }

        return new InPlaceCounts(updated, updatedReady, others, othersReady);
    }
}
