using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>What a batch's AnalysisRun is built from: the rollout, the batch, its metrics and the plan's, the templates they name.</summary>
public sealed record AnalysisRunRequest
{
    /// <summary>The owning AppRollout: its name, namespace and uid (for the owner reference).</summary>
    public required string RolloutName { get; init; }

    public required string RolloutNamespace { get; init; }

    public required string RolloutUid { get; init; }

    /// <summary>0-based batch index, as status.currentBatch.</summary>
    public required int Batch { get; init; }

    /// <summary>Which run of this batch (1 for the first); a retried or restarted batch gets the next.</summary>
    public required int Attempt { get; init; }

    /// <summary>The plan's canaryMetric (checked in every batch).</summary>
    public IReadOnlyList<CanaryMetric> PlanMetrics { get; init; } = [];

    /// <summary>The batch's canaryMetric.</summary>
    public IReadOnlyList<CanaryMetric> BatchMetrics { get; init; } = [];

    /// <summary>The templates the metrics name, by <see cref="AnalysisRunBuilder.TemplateKey"/> ("namespace/name").</summary>
    public IReadOnlyDictionary<string, MetricTemplateSpec> Templates { get; init; } = new Dictionary<string, MetricTemplateSpec>();

    public required AnalysisVariables Variables { get; init; }

    /// <summary>The batch's pause in seconds, for metrics without count.</summary>
    public int? PauseSeconds { get; init; }

    public JudgeScoreThresholds? ScoreThresholds { get; init; }
}
