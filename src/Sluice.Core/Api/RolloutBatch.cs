using System.Text.Json.Nodes;

namespace Sluice.Core.Api;

public sealed record RolloutBatch
{
    /// <summary>Pods this batch moves: an int or a percent of the pods to move; omitted on the last batch, the rest.</summary>
    public IntOrPercent? Replicas { get; init; }

    /// <summary>How many of the batch's pods may be unready when the batch counts as available; percent of the batch target.</summary>
    public IntOrPercent? MaxUnavailable { get; init; }

    public IReadOnlyList<RolloutWebhook>? BatchRolloutWebhooks { get; init; }

    public IReadOnlyList<CanaryMetric>? CanaryMetric { get; init; }

    public IReadOnlyList<string>? PodList { get; init; }

    /// <summary>Accepted for compatibility with KubeVela.</summary>
    public JsonNode? InstanceInterval { get; init; }

    /// <summary>
    /// Sluice: percent of requests sent to the target once this batch's pods are ready, e.g. "10%". Absent with a router:
    /// the batch's share of upgraded pods. The last batch always sends 100%.
    /// </summary>
    public string? Traffic { get; init; }

    /// <summary>Sluice: requests matching any entry go to the target whatever the weight (A/B testing).</summary>
    public IReadOnlyList<TrafficMatch>? Matches { get; init; }

    /// <summary>Sluice: percent of requests copied to the target, e.g. "20%"; clients only see the source's responses.</summary>
    public string? Mirror { get; init; }

    /// <summary>Sluice: hold after this batch's traffic step, for a duration or (<c>{}</c>) until promoted.</summary>
    public RolloutPause? Pause { get; init; }
}
