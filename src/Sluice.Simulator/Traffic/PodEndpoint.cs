using System.Text.Json.Nodes;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// What the data plane needs of a pod: its labels (for Service selectors), whether it is an endpoint (Ready and not being
/// deleted), how it answers (<see cref="PodFault"/>), and the Istio labels of its metrics.
/// </summary>
internal sealed record PodEndpoint(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    bool Ready,
    double ErrorRate,
    TimeSpan? Latency,
    string Workload,
    string Version)
{
    /// <summary>The pod-template label a Sluice rollout stamps with the revision's name (e.g. test-rolling-v2).</summary>
    public const string RevisionLabel = "rollout.sluice.dev/revision";

    public const string TemplateHashLabel = "rollout.sluice.dev/template-hash";

    public string? TemplateHash => Labels.GetValueOrDefault(TemplateHashLabel);

    public static PodEndpoint From(JsonObject pod)
    {
        var labels = (Json.At(pod, "metadata", "labels") as JsonObject ?? [])
            .Where(p => p.Value is JsonValue)
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
        var fault = PodFault.Parse(Json.Annotation(pod, PodFault.Annotation));
        return new PodEndpoint(
            Json.Namespace(pod),
            Json.Name(pod),
            labels,
            !Json.Deleting(pod) && Pods.IsReady(pod),
            fault.ErrorRate,
            fault.Latency,
            WorkloadOf(pod, labels),
            VersionOf(labels));
    }

    /// <summary>Every label of <paramref name="selector"/> is on the pod (an empty selector selects nothing, as a Service's).</summary>
    public bool SelectedBy(IReadOnlyDictionary<string, string> selector) =>
        selector.Count > 0 && selector.All(p => Labels.TryGetValue(p.Key, out var value) && value == p.Value);

    /// <summary>Istio's destination_version: the revision label, else the pod's <c>version</c> or <c>app.kubernetes.io/version</c> label.</summary>
    private static string VersionOf(IReadOnlyDictionary<string, string> labels) =>
        labels.GetValueOrDefault(RevisionLabel) ?? labels.GetValueOrDefault("version") ?? labels.GetValueOrDefault("app.kubernetes.io/version") ?? "unknown";

    /// <summary>
    /// Istio's destination_workload: the controller that owns the pod, a ReplicaSet's Deployment (its name without the
    /// pod-template-hash suffix) or the owner's name (CloneSet, StatefulSet, DaemonSet); the pod's name when it has none.
    /// </summary>
    private static string WorkloadOf(JsonObject pod, IReadOnlyDictionary<string, string> labels)
    {
        if (Json.ControllerRef(pod) is not { } owner)
        {
            return Json.Name(pod);
        }

        if (owner.Kind == "ReplicaSet" && labels.TryGetValue("pod-template-hash", out var hash) && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal))
        {
            return owner.Name[..^(hash.Length + 1)];
        }

        return owner.Name;
    }
}
