using Sluice.Core.Api;

namespace Sluice.Core.Engine;

/// <summary>What one reconcile observed: the rollout as stored, its revisions, its workload and any gate outcomes.</summary>
public sealed record RolloutInput
{
    public required AppRolloutSpec Spec { get; init; }

    public AppRolloutStatus? Status { get; init; }

    public long Generation { get; init; }

    /// <summary>The rollout has a deletionTimestamp.</summary>
    public bool Deleting { get; init; }

    /// <summary>Sluice: the rollout carries <see cref="AppRollout.AbortAnnotation"/>: "true"; an unfinished one fails with reason Aborted.</summary>
    public bool AbortRequested { get; init; }

    public RevisionObservation? Revisions { get; init; }

    public WorkloadSnapshot? Workload { get; init; }

    public IReadOnlyDictionary<string, GateResult> Gates { get; init; } = new Dictionary<string, GateResult>();
}
