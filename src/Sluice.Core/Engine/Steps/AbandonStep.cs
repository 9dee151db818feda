using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>rolloutAbandoning</c>: the spec now names other revisions or another size. Every request goes back to the source
/// first, in a decision of its own, before any pod moves; then the workload is released, the routes and Services are put
/// back as found (the new rollout pins them for its own revisions), and the rollout starts over.
/// </summary>
internal static class AbandonStep
{
    public static bool Run(DecisionContext c)
    {
        c.TerminateRunningAnalysis();
        if (c.Routed && !Reverting.TrafficBack(c))
        {
            return false;
        }

        c.Emit(new ReleaseWorkload(Succeeded: false));
        FailureStep.ResetTrafficIfTouched(c);
        c.Events.Add(RecordedEvent.Normal("RolloutAbandoned",
            $"the spec changed to {c.Spec.SourceAppRevisionName ?? "nothing"} -> {c.Spec.TargetAppRevisionName}; starting over"));
        return c.Fire(RolloutEvent.Finalized);
    }
}
