using System.Text.Json.Serialization;

namespace Sluice.Core.Api;

/// <summary>How a rollout moves pods: the batches and the knobs that hold or gate them.</summary>
public sealed record RolloutPlan
{
    /// <summary>Default progress deadline of a batch, in seconds.</summary>
    public const int DefaultProgressDeadlineSeconds = 600;

    public RolloutStrategy? RolloutStrategy { get; init; }

    public IReadOnlyList<RolloutBatch>? RolloutBatches { get; init; }

    public int? TargetSize { get; init; }

    public int? NumBatches { get; init; }

    /// <summary>0-based index of the last batch allowed to roll now; absent means all.</summary>
    public int? BatchPartition { get; init; }

    public bool? Paused { get; init; }

    public IReadOnlyList<RolloutWebhook>? RolloutWebhooks { get; init; }

    public IReadOnlyList<CanaryMetric>? CanaryMetric { get; init; }

    /// <summary>Sluice: a batch not available within this time fails the rollout; 0 waits forever.</summary>
    public int? ProgressDeadlineSeconds { get; init; }

    /// <summary>Sluice: what a failed or aborted rollout leaves behind.</summary>
    public OnFailure? OnFailure { get; init; }

    /// <summary>Sluice: the routers that steer requests while the rollout runs (traffic.md); absent, traffic follows the pods.</summary>
    public TrafficRouting? TrafficRouting { get; init; }

    /// <summary>Sluice: blue/green, the target beside the source behind a preview Service, then one switch of the active Service.</summary>
    public BlueGreen? BlueGreen { get; init; }

    [JsonIgnore]
    public RolloutStrategy EffectiveStrategy => RolloutStrategy ?? Api.RolloutStrategy.IncreaseFirst;

    [JsonIgnore]
    public OnFailure EffectiveOnFailure => OnFailure ?? Api.OnFailure.Rollback;

    [JsonIgnore]
    public int EffectiveProgressDeadlineSeconds => ProgressDeadlineSeconds ?? DefaultProgressDeadlineSeconds;
}
