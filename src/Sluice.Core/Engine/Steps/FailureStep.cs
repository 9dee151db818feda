using Sluice.Core.Api;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>rolloutFailing</c>: traffic back on the source first, then <c>onFailure</c>: Rollback puts every pod back on the
/// source (then the routes and Services as they were found), Pause holds the workload as it is (the routes stay all on
/// the source, the Services pinned, until the rollout is retried, undone or deleted).
/// </summary>
internal static class FailureStep
{
    public static bool Run(DecisionContext c)
    {
        if (c.Workload is not { } workload)
        {
            return c.Wait("the workload to be observed");
        }

        c.TerminateRunningAnalysis();
        if (!Reverting.TrafficBack(c))
        {
            return false;
        }

        if (c.Plan.EffectiveOnFailure == OnFailure.Pause)
        {
            c.Emit(new PauseWorkload());
            c.Emit(new ReleaseWorkload(Succeeded: false));
            return Reverting.FinishFailure(c, $"onFailure: Pause left the workload paused: {workload}");
        }

        // Reverted first: once the source's template is back, the workload no longer looks prepared for the target.
        if (Reverting.Reverted(c, out var progress))
        {
            ResetTrafficIfTouched(c);
            c.Emit(new ReleaseWorkload(Succeeded: false));
            return Reverting.FinishFailure(c, $"rolled back: {workload}");
        }

        if (!workload.Prepared && !workload.RevertRequested && workload.TargetPods == 0)
        {
            ResetTrafficIfTouched(c);
            c.Emit(new ReleaseWorkload(Succeeded: false));
            return Reverting.FinishFailure(c, "the workload was never touched");
        }

        return Reverting.RevertOrGiveUp(c, progress, out var finished) || finished;
    }

    public static void ResetTrafficIfTouched(DecisionContext c)
    {
        if (c.Traffic.Touched)
        {
            c.Emit(new ResetTraffic());
        }
    }
}
