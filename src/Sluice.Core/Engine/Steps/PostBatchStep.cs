using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary><c>batchFinalizing</c>: a sanity check of the counts, the post-batch webhooks, and the batch's Event.</summary>
internal static class PostBatchStep
{
    public static bool Run(DecisionContext c, BatchPlan plan, PlannedBatch batch)
    {
        var workload = c.Workload!;
        // More upgraded pods than asked for, while the spec asks for exactly this batch: another writer moved them.
        if (c.Mode == RolloutMode.Upgrade && workload.RequestedTarget == batch.Target && workload.Settled && workload.TargetPods > batch.Target)
        {
            return c.Fail("BatchOversized",
                $"batch {batch.Index + 1}/{plan.Count} has {workload.TargetPods} pods on {c.Status.LastTargetAppRevision}, more than the {batch.Target} planned");
        }

        if (!c.PassGate(WebhookType.PostBatchRollout, batch.Index, c.Plan.RolloutWebhooks, c.BatchSpec(batch).BatchRolloutWebhooks))
        {
            return false;
        }

        var of = c.Mode == RolloutMode.Upgrade ? $" of {c.Status.RolloutTargetSize}" : string.Empty;
        c.Events.Add(RecordedEvent.Normal("BatchAvailable",
            $"batch {batch.Index + 1}/{plan.Count}: {workload.TargetPods}{of} pods on {c.Status.LastTargetAppRevision}, {workload.TargetReady} ready"));
        return c.Fire(!plan.IsLast(batch.Index) ? RolloutEvent.BatchFinalized : c.BlueGreen ? RolloutEvent.TargetUp : RolloutEvent.AllBatchesFinished);
    }
}
