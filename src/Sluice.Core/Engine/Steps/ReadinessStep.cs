using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>batchVerifying</c>: enough of the batch's pods are ready (<c>upgradedReady + maxUnavailable &gt;= batchTarget</c>), judged
/// only on an observation newer than what was asked; two objects, IncreaseFirst: then the source down.
/// </summary>
internal static class ReadinessStep
{
    public static bool Run(DecisionContext c, BatchPlan plan, PlannedBatch batch)
    {
        var workload = c.Workload!;
        if (c.Intents.Count == 0 && !c.TargetAsked(batch.Target))
        {
            // Level-triggered: the workload no longer asks for this batch (changed by hand, or a take-over
            // after a crash held it lower); ask again.
            c.Emit(new SetTarget(batch.Target));
        }

        if (c.Intents.Count > 0 || !workload.Settled)
        {
            // What we see predates what we asked for: judge readiness only on a fresh observation.
            return c.WaitWithDeadline(batch, $"the workload to take batch {batch.Index + 1}/{plan.Count} ({batch.Target} pods)");
        }

        var allowed = batch.AllowedUnavailable;
        var shrinking = c.Mode == RolloutMode.Scale && batch.Target < c.Status.RolloutOriginalSize;
        var available = shrinking
            ? workload.TargetPods <= batch.Target
            : workload.TargetReady + allowed >= batch.Target;
        if (!available)
        {
            return c.WaitWithDeadline(batch, shrinking
                ? $"{workload.TargetPods} pods to shrink to {batch.Target}"
                : $"{workload.TargetReady} of {batch.Target} upgraded pods ready, {allowed} may be unavailable");
        }

        // Blue/green keeps the source whole until after the switch.
        if (c.TwoObjects && !c.BlueGreen && c.Plan.EffectiveStrategy == RolloutStrategy.IncreaseFirst)
        {
            var sourceLeft = batch.SourceLeft!.Value;
            if (!c.SourceAsked(sourceLeft))
            {
                c.Emit(new SetSource(sourceLeft));
                return c.Wait($"the source to scale down to {sourceLeft} pods");
            }

            if (workload.SourcePods > sourceLeft)
            {
                return c.WaitWithDeadline(batch, $"the source to scale down to {sourceLeft} pods ({workload.SourcePods} left)");
            }
        }

        return c.Fire(RolloutEvent.BatchAvailable);
    }
}
