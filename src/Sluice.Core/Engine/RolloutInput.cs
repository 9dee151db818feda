using Sluice.Core.Api;

namespace Sluice.Core.Engine;

/// <summary>What one reconcile observed: the rollout as stored, its revisions, its workload and any gate outcomes.</summary>
public sealed record RolloutInput
{
    public required AppRolloutSpec Spec { get; init; }

    /// <summary>The rollout's name (its AnalysisRuns are named after it).</summary>
    public string Name { get; init; } = string.Empty;

    public AppRolloutStatus? Status { get; init; }

    public long Generation { get; init; }

    /// <summary>The rollout has a deletionTimestamp.</summary>
    public bool Deleting { get; init; }

    /// <summary>Sluice: the rollout carries <see cref="AppRollout.AbortAnnotation"/>: "true"; an unfinished one fails with reason Aborted.</summary>
    public bool AbortRequested { get; init; }

    public RevisionObservation? Revisions { get; init; }

    public WorkloadSnapshot? Workload { get; init; }

    /// <summary>What the plan's routers send where now (null when the plan routes no traffic).</summary>
    public TrafficSnapshot? Traffic { get; init; }

    /// <summary>
    /// Sluice: the rollout carries <see cref="AppRollout.PromoteAnnotation"/>: batches up to this index are promoted past
    /// a <c>pause: {}</c> (set by <c>sluice rollout promote</c>).
    /// </summary>
    public int? PromotedBatch { get; init; }

    /// <summary>The AnalysisRun of the current batch and attempt, when it exists.</summary>
    public AnalysisRun? Analysis { get; init; }

    /// <summary>Why the plan's canaryMetric checks cannot run (a bad condition, a missing template, ...), found while verifying; fails the rollout.</summary>
    public string? AnalysisProblem { get; init; }

    public IReadOnlyDictionary<string, GateResult> Gates { get; init; } = new Dictionary<string, GateResult>();
}
