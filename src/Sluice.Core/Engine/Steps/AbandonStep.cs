using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>rolloutAbandoning</c>: the spec now names other revisions or another size: release the workload, put the routes and
/// Services back as found (the new rollout pins them for its own revisions), and start over.
/// </summary>
internal static class AbandonStep
{
    public static bool Run(DecisionContext c)
    {
        c.TerminateRunningAnalysis();
        c.Emit(new ReleaseWorkload(Succeeded: false));
        FailureStep.ResetTrafficIfTouched(c);
        c.Events.Add(RecordedEvent.Normal("RolloutAbandoned",
            $"the spec changed to {c.Spec.SourceAppRevisionName ?? "nothing"} -> {c.Spec.TargetAppRevisionName}; starting over"));
        return c.Fire(RolloutEvent.Finalized);
    }
}
