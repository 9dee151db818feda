using System.Text.Json.Nodes;

namespace Sluice.Controllers.Workloads;

/// <summary>Where adapters that count pods find them (the pod informer's cache).</summary>
public interface IPodIndex
{
    /// <summary>Pods in <paramref name="ns"/> owned by the object with <paramref name="ownerUid"/>.</summary>
    IEnumerable<JsonObject> OwnedBy(string ns, string ownerUid);
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
