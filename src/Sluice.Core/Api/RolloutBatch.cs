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
}
