using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Operations;

/// <summary>What a person wants to know about an AppRollout, read from its spec and status.</summary>
public sealed class RolloutFacts(AppRollout rollout)
{
    public AppRollout Rollout => rollout;

    public string Name => rollout.Metadata.Name ?? "";

    public string Namespace => rollout.Metadata.Namespace ?? "";

    public AppRolloutStatus? Status => rollout.Status;

    public RollingState? State => rollout.Status?.RollingState;

    public string StateName => State is { } s ? ApiEnumJsonConverter<RollingState>.NameOf(s) : "pending";

    public string? BatchStateName => Status?.BatchRollingState is { } b ? ApiEnumJsonConverter<BatchRollingState>.NameOf(b) : null;

    public bool Finished => State is RollingState.RolloutSucceed or RollingState.RolloutFailed;

    /// <summary>The status was written for the current spec (observedGeneration caught up).</summary>
    public bool Current => (Status?.ObservedGeneration ?? -1) >= (rollout.Metadata.Generation ?? 0);

    public RolloutPlan Plan => rollout.Spec.RolloutPlan ?? new RolloutPlan();

    public string Source => string.IsNullOrEmpty(rollout.Spec.SourceAppRevisionName) ? "(none)" : rollout.Spec.SourceAppRevisionName;

    public string Target => rollout.Spec.TargetAppRevisionName ?? "";

    /// <summary>The batch plan for the sizes the status recorded; null before the revisions were located or when invalid.</summary>
    public BatchPlan? BatchPlan
    {
        get
        {
            if (Status is not { } status || string.IsNullOrEmpty(status.LastTargetAppRevision))
            {
                return null;
            }

            var upgrade = !string.IsNullOrEmpty(status.LastSourceAppRevision) && status.LastSourceAppRevision != status.LastTargetAppRevision;
            var shape = upgrade
                ? RolloutShape.Upgrade(status.RolloutOriginalSize, status.RolloutTargetSize)
                : RolloutShape.Scale(status.RolloutOriginalSize, status.RolloutTargetSize);
            return PlanCalculator.Calculate(Plan, shape).Plan;
        }
    }

    public int BatchCount => BatchPlan?.Count ?? Plan.RolloutBatches?.Count ?? Plan.NumBatches ?? 0;

    /// <summary>"2/3": the 1-based current batch of all, "-" before batches start; all done once succeeded.</summary>
    public string Batch => State switch
    {
        RollingState.RolloutSucceed or RollingState.Finalising or RollingState.Promoting or RollingState.ScalingDownSource => $"{BatchCount}/{BatchCount}",
        RollingState.RollingInBatches or RollingState.RolloutFailing or RollingState.RolloutFailed when Status!.BatchRollingState is not null =>
            $"{Status.CurrentBatch + 1}/{BatchCount}",
        _ => $"-/{BatchCount}",
    };

    public int Upgraded => Status?.UpgradedReplicas ?? 0;

    public int Ready => Status?.UpgradedReadyReplicas ?? 0;

    public int TargetSize => Status?.RolloutTargetSize ?? 0;

    public Condition? Failure => Status?.Condition(Engine.ConditionTypes.Failed) is { Status: ConditionStatus.True } c ? c : null;

    /// <summary>One line for a change of state: what <c>rollout status</c> prints.</summary>
    public string Line()
    {
        var batch = State == RollingState.RollingInBatches ? $" batch {Batch} {BatchStateName}" : "";
        var why = State == RollingState.RolloutFailed && Failure is { } f ? $": {f.Reason}: {f.Message}" : "";
        var paused = Plan.Paused == true && !Finished ? " (paused)" : "";
        return $"{StateName}{batch}{paused}: {Upgraded}/{TargetSize} upgraded, {Ready} ready, {Source} -> {Target}{why}";
    }
}
