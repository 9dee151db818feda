using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;
using static Sluice.Core.Api.BatchRollingState;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>rollingInBatches</c>: the plan as it stands now, the checks every batch step shares (plan still valid, shortened,
/// paused, partition lowered), then the step of the current batch state: pre-batch webhooks, pods, readiness, traffic,
/// pause, analysis, post-batch webhooks, approval.
/// </summary>
internal static class BatchLoop
{
    public static bool Run(DecisionContext c)
    {
        var result = PlanCalculator.Calculate(c.Plan, c.Shape);
        if (!result.IsValid)
        {
            return c.Fail("InvalidPlan", $"the plan changed and is no longer valid: {result.Error.Message}");
        }

        var plan = result.Plan;
        if (c.Status.CurrentBatch >= plan.Count)
        {
            // Every batch of the shorter plan but its last is behind us; its last lands on the total, whatever was rolled.
            c.Events.Add(RecordedEvent.Normal("PlanShortened",
                $"the plan now has {plan.Count} batches and the rollout was at batch {c.Status.CurrentBatch + 1}: going on with its last batch"));
            c.Status = c.Status with { CurrentBatch = plan.Count - 1 };
            return c.Fire(RolloutEvent.PlanShortened);
        }

        if (!HonourPause(c))
        {
            return false;
        }

        if (c.Plan.BatchPartition is { } partition && partition < c.Status.CurrentBatch && !plan.IsLast(c.Status.CurrentBatch))
        {
            return c.Fail("PartitionLowered",
                $"spec.rolloutPlan.batchPartition was lowered to {partition}, below the current batch index {c.Status.CurrentBatch}; batches already rolled cannot be taken back");
        }

        if (c.Workload is null)
        {
            return c.Wait("the workload to be observed");
        }

        var batch = plan[c.Status.CurrentBatch];
        return c.Status.BatchRollingState switch
        {
            BatchInitializing => c.PassGate(WebhookType.PreBatchRollout, batch.Index, c.Plan.RolloutWebhooks, c.BatchSpec(batch).BatchRolloutWebhooks)
                && c.Fire(RolloutEvent.BatchInitialized),
            BatchInRolling => PodsStep.Run(c, plan, batch),
            BatchVerifying => ReadinessStep.Run(c, plan, batch),
            BatchShiftingTraffic => TrafficShiftStep.Run(c, plan, batch),
            BatchPausing => BakeStep.Run(c, batch),
            BatchAnalyzing => AnalysisStep.Run(c, batch),
            BatchFinalizing => PostBatchStep.Run(c, plan, batch),
            BatchReady => ApprovalStep.Run(c, plan),
            _ => c.Fail("IllegalState", $"batch state {c.Status.BatchRollingState} cannot go on"),
        };
    }

    /// <summary><c>paused: true</c> holds the batch loop where it is; clearing it resumes (conditions and Events say so).</summary>
    private static bool HonourPause(DecisionContext c)
    {
        var paused = c.Status.Condition(ConditionTypes.BatchPaused)?.Status == ConditionStatus.True;
        if (c.Plan.Paused == true)
        {
            if (!paused)
            {
                c.SetCondition(ConditionTypes.BatchPaused, ConditionStatus.True, "Paused", $"paused at batch index {c.Status.CurrentBatch}", restamp: true);
                c.Events.Add(RecordedEvent.Normal("Paused", $"paused at batch {c.Status.CurrentBatch + 1} ({ApiEnumJsonConverter<BatchRollingState>.NameOf(c.Status.BatchRollingState ?? BatchInitializing)})"));
            }

            return c.Wait("spec.rolloutPlan.paused to be false");
        }

        if (paused)
        {
            c.SetCondition(ConditionTypes.BatchPaused, ConditionStatus.False, "Resumed", $"resumed at batch index {c.Status.CurrentBatch}", restamp: true);
            c.SetCondition(ConditionTypes.Progressing, ConditionStatus.True, "Resumed", $"resumed at batch index {c.Status.CurrentBatch}", restamp: true);
            c.Events.Add(RecordedEvent.Normal("Resumed", $"resumed at batch {c.Status.CurrentBatch + 1}"));
        }

        return true;
    }
}
