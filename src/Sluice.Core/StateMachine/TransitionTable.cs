using Sluice.Core.Api;
using static Sluice.Core.Api.BatchRollingState;
using static Sluice.Core.Api.RollingState;
using static Sluice.Core.StateMachine.RolloutEvent;

namespace Sluice.Core.StateMachine;

/// <summary>
/// The rollout's state machine as data (spec/rollout.md, "Transitions"). The engine decides which
/// event happened; this table alone decides where it leads. docs/state-machine.md is generated from it.
/// </summary>
public static class TransitionTable
{
    /// <summary>States a <see cref="RolloutEvent.Modified"/> abandons.</summary>
    private static readonly RollingState[] Abandonable =
        [LocatingTargetApp, VerifyingSpec, Initializing, RollingInBatches, Promoting, ScalingDownSource, Finalising, RolloutFailing, RolloutAbandoning];

    /// <summary>States a <see cref="RolloutEvent.Deleted"/> moves to deleting (all but the terminal ones and deleting itself).</summary>
    private static readonly RollingState[] Deletable =
        [LocatingTargetApp, VerifyingSpec, Initializing, RollingInBatches, Promoting, ScalingDownSource, Finalising, RolloutFailing, RolloutAbandoning];

    public static IReadOnlyList<Transition> Rows { get; } = Build();

    /// <summary>Every rolling state, in the order of the spec.</summary>
    public static IReadOnlyList<RollingState> States { get; } = Enum.GetValues<RollingState>();

    public static IReadOnlyList<BatchRollingState> BatchStates { get; } = Enum.GetValues<BatchRollingState>();

    public static IReadOnlyList<RolloutEvent> Events { get; } = Enum.GetValues<RolloutEvent>();

    /// <summary>Where <paramref name="event"/> leads from the given states.</summary>
    public static TransitionOutcome Fire(RollingState state, BatchRollingState? batch, RolloutEvent @event)
    {
        foreach (var row in Rows)
        {
            if (row.Matches(state, batch, @event))
            {
                return new TransitionOutcome(row.To, row.ToBatch ?? batch, row.Effect, row, null);
            }
        }

        var where = batch is null || state != RollingInBatches
            ? ApiEnumJsonConverter<RollingState>.NameOf(state)
            : $"{ApiEnumJsonConverter<RollingState>.NameOf(state)}/{ApiEnumJsonConverter<BatchRollingState>.NameOf(batch.Value)}";
        return new TransitionOutcome(RolloutFailed, batch, TransitionEffect.None, null,
            $"illegal transition: event {@event} in state {where}");
    }

    private static List<Transition> Build()
    {
        var rows = new List<Transition>
        {
            new(LocatingTargetApp, null, AppLocated, VerifyingSpec, null, TransitionEffect.None, "revisions found, target workload templated"),
            new(VerifyingSpec, null, SpecVerified, Initializing, null, TransitionEffect.None, "plan valid for the actual size"),
            new(Initializing, null, Initialized, RollingInBatches, BatchInitializing, TransitionEffect.None, "workload taken over, every pod held"),
            new(RollingInBatches, BatchInitializing, BatchInitialized, RollingInBatches, BatchInRolling, TransitionEffect.None, "pre-batch webhooks passed"),
            new(RollingInBatches, BatchInRolling, BatchRolledOut, RollingInBatches, BatchVerifying, TransitionEffect.None, "the batch's pods were asked to upgrade"),
            new(RollingInBatches, BatchVerifying, BatchAvailable, RollingInBatches, BatchShiftingTraffic, TransitionEffect.None, "enough of them are ready"),
            new(RollingInBatches, BatchShiftingTraffic, TrafficShifted, RollingInBatches, BatchPausing, TransitionEffect.None, "Sluice: the routes send the batch's weight, matches and mirror (at once without a router)"),
            new(RollingInBatches, BatchPausing, PauseEnded, RollingInBatches, BatchAnalyzing, TransitionEffect.None, "Sluice: the batch's pause is over (at once without one)"),
            new(RollingInBatches, BatchAnalyzing, AnalysisPassed, RollingInBatches, BatchFinalizing, TransitionEffect.None, "Sluice: the canaryMetric checks passed (at once without any)"),
            new(RollingInBatches, BatchFinalizing, BatchFinalized, RollingInBatches, BatchReady, TransitionEffect.None, "post-batch webhooks passed, not the last batch"),
            new(RollingInBatches, BatchFinalizing, AllBatchesFinished, Finalising, BatchReady, TransitionEffect.None, "the last batch"),
            new(RollingInBatches, BatchReady, BatchApproved, RollingInBatches, BatchInitializing, TransitionEffect.NextBatch, "batchPartition absent or greater than currentBatch, not paused"),
            new(RollingInBatches, null, PlanShortened, RollingInBatches, BatchInitializing, TransitionEffect.None, "Sluice: the plan now has fewer batches than rolled; its last batch next"),
            new(RollingInBatches, null, BatchFailed, RolloutFailing, BatchVerifyFailed, TransitionEffect.None, "Sluice: finalize (onFailure) before rolloutFailed"),
            new(LocatingTargetApp, null, Failed, RolloutFailed, null, TransitionEffect.None, "revision or component missing past the deadline; nothing touched"),
            new(VerifyingSpec, null, Failed, RolloutFailed, null, TransitionEffect.None, "invalid spec; nothing touched"),
            new(Initializing, null, Failed, RolloutFailing, null, TransitionEffect.None, "Sluice: the workload may be touched; finalize first"),
            new(RollingInBatches, BatchFinalizing, TargetUp, Promoting, BatchReady, TransitionEffect.None, "Sluice, blue/green: the last batch; the target fully up beside the source, previewed"),
            new(Promoting, null, Promoted, ScalingDownSource, null, TransitionEffect.None, "Sluice, blue/green: active switched to the target (autoPromotionSeconds, or promote)"),
            new(ScalingDownSource, null, SourceScaledDown, Finalising, null, TransitionEffect.None, "Sluice, blue/green: source kept scaleDownDelaySeconds, then scaled to 0"),
            new(Promoting, null, Failed, RolloutFailing, null, TransitionEffect.None, "Sluice: the workload may be touched; finalize first"),
            new(ScalingDownSource, null, Failed, RolloutFailing, null, TransitionEffect.None, "Sluice: the workload may be touched; finalize first"),
            new(Finalising, null, Failed, RolloutFailing, null, TransitionEffect.None, "Sluice: the workload may be touched; finalize first"),
            new(Finalising, null, Finalized, RolloutSucceed, null, TransitionEffect.None, "workload released, source cleaned up"),
            new(RolloutFailing, null, Finalized, RolloutFailed, null, TransitionEffect.None, "onFailure applied, workload released"),
            new(RolloutDeleting, null, Finalized, RolloutFailed, null, TransitionEffect.None, "then the finalizer is removed"),
            new(RolloutAbandoning, null, Finalized, LocatingTargetApp, null, TransitionEffect.Reset, "status reset, start over on the new spec"),
            new(RolloutSucceed, null, Modified, LocatingTargetApp, null, TransitionEffect.Reset, "status reset"),
            new(RolloutFailed, null, Modified, LocatingTargetApp, null, TransitionEffect.Reset, "status reset"),
        };

        rows.AddRange(Abandonable.Select(s =>
            new Transition(s, null, Modified, RolloutAbandoning, null, TransitionEffect.None, "source, target or targetSize changed mid-way")));
        rows.AddRange(Deletable.Select(s =>
            new Transition(s, null, Deleted, RolloutDeleting, null, TransitionEffect.None, "deletion requested")));
        return rows;
    }
}
