using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;
using static Sluice.Core.Api.RollingState;

namespace Sluice.Core.Engine.Steps;

/// <summary>What a failure, an abort and a deletion with <c>revertOnDelete</c> share: putting the source back, and giving up at the deadline.</summary>
internal static class Reverting
{
    /// <summary>Every pod is back on the source revision (or at the original size) and ready.</summary>
    public static bool Reverted(DecisionContext c, out string progress)
    {
        var workload = c.Workload!;
        var original = c.Status.RolloutOriginalSize;
        if (c.Mode == RolloutMode.Upgrade)
        {
            progress = $"{workload.SourceReady} of {original} source pods ready, {workload.TargetPods} still on {c.Status.LastTargetAppRevision}";
            return workload.Settled && workload.RevertRequested && workload.TargetPods == 0 && workload.SourceReady >= original;
        }

        progress = $"{workload.TargetPods} pods ({workload.TargetReady} ready), back to {original}";
        return workload.Settled && workload.RevertRequested && workload.TargetPods == original && workload.TargetReady >= original;
    }

    /// <summary>
    /// Asks for the revert and waits for it; past the deadline gives up and releases. The revert is asked for on every
    /// look until it is done (level-triggered: a kind may revert in stages, e.g. the source up before the target down);
    /// adapters write only what differs. True when a failure finished (rolloutFailed); <paramref name="finished"/> when a
    /// deletion may go on without the revert.
    /// </summary>
    public static bool RevertOrGiveUp(DecisionContext c, string progress, out bool finished)
    {
        finished = false;
        if (c.DeadlinePassed(out var waited))
        {
            c.Emit(new ReleaseWorkload(Succeeded: false));
            c.Events.Add(RecordedEvent.Warn("RollbackIncomplete", $"gave up waiting after {waited}: {progress}"));
            if (c.State == RolloutFailing)
            {
                FinishFailure(c, $"rollback incomplete after {waited}: {progress}");
                return true;
            }

            finished = true;
            return false;
        }

        c.Emit(new RevertWorkload(c.Mode, c.Status.RolloutOriginalSize, FirstBatchMaxUnavailable(c)));
        c.WaitFor($"the workload to go back to the source: {progress}", c.RemainingDeadline());
        return false;
    }

    public static bool FinishFailure(DecisionContext c, string outcome)
    {
        var reason = c.Status.Condition(ConditionTypes.Failed)?.Reason ?? "RolloutFailed";
        var message = c.Status.Condition(ConditionTypes.Failed)?.Message ?? "the rollout failed";
        c.SetCondition(ConditionTypes.Failed, ConditionStatus.True, reason, $"{message}; {outcome}", restamp: false);
        c.Events.Add(RecordedEvent.Warn("RolloutFailed", $"{message}; {outcome}"));
        c.Emit(new PruneAnalysisRuns(Analysis.AnalysisRunPruning.DefaultKeep));
        return c.Fire(RolloutEvent.Finalized);
    }

    /// <summary>
    /// Traffic back on the source before any pod moves back: every route all to the stable Service. True when it is there
    /// (or nothing routes). While the stable Service has no ready pod (the last batch had moved them all) the routes stay
    /// and the revert goes first; they follow once a source pod is ready again.
    /// </summary>
    public static bool TrafficBack(DecisionContext c)
    {
        if (c.BlueGreen)
        {
            return BlueGreenFacts.Back(c);
        }

        if (!c.Routed || TrafficFacts.AllOnStable(c))
        {
            return true;
        }

        if (TrafficFacts.ReadyPods(c, ServiceRole.Stable) == 0)
        {
            return true;
        }

        c.Emit(RouteTraffic.AllToStable);
        c.Wait("every request back on the source before any pod moves");
        return false;
    }

    private static IntOrPercent? FirstBatchMaxUnavailable(DecisionContext c) =>
        c.Plan.RolloutBatches is { Count: > 0 } batches ? batches[0].MaxUnavailable : null;
}
