using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>RolloutDeletingState</c>: with <c>revertOnDelete</c> traffic back on the source and every pod with it; without, the
/// workload left paused where it is (KubeVela's behaviour). Either way the routes and Services are put back as they were
/// found (nothing would do it once the rollout is gone) and the workload released; then the finalizer goes.
/// </summary>
internal static class DeletionStep
{
    public static bool Run(DecisionContext c)
    {
        c.TerminateRunningAnalysis();
        var touched = c.Workload is { } workload && (workload.Prepared || workload.TargetPods > 0);
        string outcome;
        if (c.Spec.RevertOnDelete == true && touched && !Reverting.Reverted(c, out var progress))
        {
            if (!Reverting.TrafficBack(c))
            {
                return false;
            }

            if (Reverting.RevertOrGiveUp(c, progress, out var finished))
            {
                return true;
            }

            if (!finished)
            {
                return false;
            }

            outcome = "workload released as it is: the revert gave up at its deadline";
        }
        else if (c.Spec.RevertOnDelete != true && touched)
        {
            // KubeVela leaves it paused: nothing moves until someone decides (a new AppRollout takes it from here).
            c.Emit(new PauseWorkload());
            c.Emit(new ReleaseWorkload(Succeeded: false));
            outcome = $"workload left paused where it was ({c.Workload}); a new AppRollout takes it over from there";
        }
        else
        {
            c.Emit(new ReleaseWorkload(Succeeded: false));
            outcome = c.Spec.RevertOnDelete == true && touched ? "workload back on the source revision" : "workload released; the rollout had not touched it";
        }

        FailureStep.ResetTrafficIfTouched(c);
        c.Events.Add(RecordedEvent.Normal("RolloutDeleted", outcome + (c.Traffic.Touched ? "; routes and Services put back as they were found" : "")));
        c.Fire(RolloutEvent.Finalized);
        c.RemoveFinalizer = true;
        return false;
    }
}
