using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>batchInRolling</c>: ask the workload for the batch's pods (two objects, DecreaseFirst: the source down first). With a
/// router, the last batch first sends every request to the target's ready pods: it moves the source's remaining pods, and
/// the stable Service must not be left without endpoints while routes still send it requests.
/// </summary>
internal static class PodsStep
{
    public static bool Run(DecisionContext c, BatchPlan plan, PlannedBatch batch)
    {
        var workload = c.Workload!;
        if (plan.IsLast(batch.Index) && TrafficFacts.Steps(c, plan) is { } steps)
        {
            var desired = TrafficFacts.Desired(c, steps[batch.Index]);
            if (!TrafficFacts.Routed(c, desired))
            {
                if (TrafficFacts.ReadyPods(c, ServiceRole.Canary) == 0)
                {
                    return c.WaitWithDeadline(batch, "ready target pods behind the canary Service before the last batch sends it every request");
                }

                c.Emit(desired);
                return c.Wait($"the routes to send {desired.Weight}% to the target before the last batch moves the source's remaining pods");
            }
        }

        if (c.TwoObjects && !c.BlueGreen && c.Plan.EffectiveStrategy == RolloutStrategy.DecreaseFirst)
        {
            var sourceLeft = batch.SourceLeft!.Value;
            if (!c.SourceAsked(sourceLeft))
            {
                c.Emit(new SetSource(sourceLeft));
                return c.Wait($"the source to scale down to {sourceLeft} pods");
            }

            if (!workload.Settled || workload.SourcePods > sourceLeft)
            {
                return c.WaitWithDeadline(batch, $"the source to scale down to {sourceLeft} pods ({workload.SourcePods} left)");
            }
        }

        if (!c.TargetAsked(batch.Target))
        {
            c.Emit(new SetTarget(batch.Target));
        }

        return c.Fire(RolloutEvent.BatchRolledOut);
    }
}
