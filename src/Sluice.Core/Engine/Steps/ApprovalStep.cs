using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary><c>batchReady</c>: the next batch starts while <c>batchPartition</c> allows it.</summary>
internal static class ApprovalStep
{
    public static bool Run(DecisionContext c, BatchPlan plan)
    {
        if (c.Plan.BatchPartition is { } partition && partition <= c.Status.CurrentBatch)
        {
            return c.Wait($"spec.rolloutPlan.batchPartition ({partition}) to be raised past batch index {c.Status.CurrentBatch}");
        }

        return c.Fire(plan.IsLast(c.Status.CurrentBatch) ? RolloutEvent.AllBatchesFinished : RolloutEvent.BatchApproved);
    }
}
