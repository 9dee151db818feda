using System.Text.Json.Nodes;

namespace Sluice.Simulator;

/// <summary>What controllers read from a pod: active, ready, available (ready for minReadySeconds), and building pods from templates.</summary>
internal static class Pods
{
    public static bool IsActive(JsonObject pod) =>
        !Json.Deleting(pod) && Json.Str(pod, "status", "phase") is not ("Succeeded" or "Failed");

    /// <summary>Ready: its Ready condition is True and it is not terminating (a pod being deleted is never counted ready).</summary>
    public static bool IsReady(JsonObject pod) => !Json.Deleting(pod) && IsServing(pod);

    /// <summary>Its Ready condition is True, terminating or not (an EndpointSlice's <c>serving</c>).</summary>
    public static bool IsServing(JsonObject pod) => ReadyCondition(pod) is { } c && Json.Str(c, "status") == "True";

    public static DateTimeOffset? ReadySince(JsonObject pod) =>
        IsReady(pod) ? Json.Time(ReadyCondition(pod), "lastTransitionTime") : null;

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> (a pod ready at an unknown time counts as available).</summary>
    public static bool IsAvailable(JsonObject pod, int minReadySeconds, DateTimeOffset now) =>
        IsReady(pod) && (minReadySeconds <= 0 || ReadySince(pod) is not { } since || since.AddSeconds(minReadySeconds) <= now);

    /// <summary>When a ready pod that is not yet available becomes available, for a requeue.</summary>
    public static DateTimeOffset? AvailableAt(JsonObject pod, int minReadySeconds, DateTimeOffset now) =>
        minReadySeconds > 0 && ReadySince(pod) is { } since && since.AddSeconds(minReadySeconds) > now ? since.AddSeconds(minReadySeconds) : null;

    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    public static int Restarts(JsonObject pod) =>
        (Json.At(pod, "status", "containerStatuses") as JsonArray ?? []).OfType<JsonObject>().Sum(c => Json.Int(c, 0, "restartCount"));

    /// <summary>
    /// A pod from a template: the template's labels and annotations plus <paramref name="extraLabels"/>, a controller
    /// owner reference, and either a fixed <paramref name="name"/> or a generateName prefix.
    /// </summary>
    public static JsonObject FromTemplate(JsonNode? template, string ns, string? name, string? generateName,
        JsonObject ownerReference, IReadOnlyDictionary<string, string> extraLabels, string? nodeName = null)
    {
        var metadata = Json.At(template, "metadata")?.DeepClone() as JsonObject ?? [];
        var labels = metadata["labels"] as JsonObject ?? [];
        foreach (var (key, value) in extraLabels)
        {
            labels[key] = value;
        }
        metadata["labels"] = labels;
        metadata["namespace"] = ns;
        metadata.Remove("name");
        metadata.Remove("generateName");
        if (name is not null)
        {
            metadata["name"] = name;
        }
        else
        {
            metadata["generateName"] = generateName;
        }
        metadata["ownerReferences"] = new JsonArray(ownerReference.DeepClone());
        var spec = Json.At(template, "spec")?.DeepClone() as JsonObject ?? [];
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }

    /// <summary>
    /// The order in which a ReplicaSet (and a CloneSet) picks pods to delete, most expendable first:
    /// unscheduled, then pending, then not ready, then ready for a shorter time, then more restarts, then newer.
    /// </summary>
    public static IEnumerable<JsonObject> DeletionOrder(IEnumerable<JsonObject> pods) =>
        pods.OrderBy(p => Json.Str(p, "spec", "nodeName").Length == 0 ? 0 : 1)
            .ThenBy(p => Json.Str(p, "status", "phase") switch { "Pending" or "" => 0, "Unknown" => 1, _ => 2 })
            .ThenBy(p => IsReady(p) ? 1 : 0)
            .ThenByDescending(p => ReadySince(p) ?? DateTimeOffset.MinValue)
            .ThenByDescending(Restarts)
            .ThenByDescending(p => Json.Time(p, "metadata", "creationTimestamp") ?? DateTimeOffset.MinValue)
            .ThenByDescending(p => Json.Name(p), StringComparer.Ordinal);

    private static JsonObject? ReadyCondition(JsonObject pod) =>
        (Json.At(pod, "status", "conditions") as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => Json.Str(c, "type") == "Ready");
}
