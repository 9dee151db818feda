using Sluice.Core.Api;
using Sluice.Core.Engine.Steps;
using Sluice.Core.StateMachine;
using static Sluice.Core.Api.RollingState;

namespace Sluice.Core.Engine;

/// <summary>
/// One decision: from the stored status, what happened to the rollout (deleted, modified, aborted), then the step of each
/// state it passes through (one small piece per state in <c>Steps/</c>), as far as it can go without waiting.
/// </summary>
internal sealed class DecisionBuilder(RolloutInput input, DateTimeOffset now)
{
    private readonly DecisionContext c = new(input, now);

    public void Run()
    {
        if (c.Status.RollingState is null)
        {
            c.Status = c.Fresh();
        }

        c.Status = c.Status with { ObservedGeneration = input.Generation };

        if (input.Deleting)
        {
            if (c.State is RolloutSucceed or RolloutFailed)
            {
                // A finished rollout may still hold routes and Services (onFailure: Pause keeps them pinned).
                FailureStep.ResetTrafficIfTouched(c);
                c.RemoveFinalizer = true;
                return;
            }

            if (c.State != RolloutDeleting)
            {
                c.Fire(RolloutEvent.Deleted);
            }
        }
        else if (IsModified())
        {
            c.Fire(RolloutEvent.Modified);
        }
        else if (input.AbortRequested && c.State is LocatingTargetApp or VerifyingSpec or Initializing or RollingInBatches or Promoting or ScalingDownSource or Finalising)
        {
            // Through the ordinary failure path: rolloutFailing applies onFailure (Rollback by default) before rolloutFailed.
            c.Fail("Aborted", $"aborted by the {AppRollout.AbortAnnotation} annotation in {c.StepMessage()}");
        }

        for (var steps = 0; steps < RolloutEngine.MaxStepsPerDecision && c.Gate is null; steps++)
        {
            if (!Step())
            {
                break;
            }
        }

        RecordCounts();
    }

    public RolloutDecision Build() => new()
    {
        Status = c.Status,
        Intents = c.Gate is null ? c.Intents : [],
        TrafficIntents = c.Gate is null ? c.TrafficIntents : [],
        AnalysisIntents = c.Gate is null ? c.AnalysisIntents : [],
        Events = c.Events,
        Transitions = c.Transitions,
        RequeueAfter = c.RequeueAfter,
        Gate = c.Gate,
        RemoveFinalizer = c.RemoveFinalizer,
        WaitingFor = c.WaitingFor,
    };

    /// <summary>Takes the next step of the current state; true when it moved and the next state may go on.</summary>
    private bool Step() => c.State switch
    {
        LocatingTargetApp => LocateStep.Run(c),
        VerifyingSpec => VerifyStep.Run(c),
        Initializing => InitializeStep.Run(c),
        RollingInBatches => BatchLoop.Run(c),
        Promoting => PromotionStep.Run(c),
        ScalingDownSource => ScaleDownStep.Run(c),
        Finalising => SuccessStep.Run(c),
        RolloutFailing => FailureStep.Run(c),
        RolloutDeleting => DeletionStep.Run(c),
        RolloutAbandoning => AbandonStep.Run(c),
        _ => false,
    };

    private bool IsModified()
    {
        if (c.State is RolloutDeleting || string.IsNullOrEmpty(c.Status.LastTargetAppRevision))
        {
            return false;
        }

        return c.Spec.TargetAppRevisionName != c.Status.LastTargetAppRevision
            || (c.Spec.SourceAppRevisionName ?? string.Empty) != (c.Status.LastSourceAppRevision ?? string.Empty)
            || (c.Plan.TargetSize is { } size && size != c.Status.RolloutTargetSize);
    }

    /// <summary>
    /// Reports the workload's pod counts, only once its controller has seen its latest spec: right after a
    /// take-over the status still counts pods against the old template (an in-place kind's updatedReplicas
    /// would claim every pod as upgraded).
    /// </summary>
    private void RecordCounts()
    {
        if (c.Workload is { Settled: true } workload && c.State is not (LocatingTargetApp or VerifyingSpec))
        {
            c.Status = c.Status with { UpgradedReplicas = workload.TargetPods, UpgradedReadyReplicas = workload.TargetReady };
        }
    }
}
