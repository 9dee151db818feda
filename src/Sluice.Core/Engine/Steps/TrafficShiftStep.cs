using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>batchShiftingTraffic</c>: once the batch's pods are ready, the routes send the batch's weight, matches and mirror to
/// the target (never to a target with no ready pod, never a weight below what they send already). Passes at once when
/// the plan routes nothing.
/// </summary>
internal static class TrafficShiftStep
{
    public static bool Run(DecisionContext c, BatchPlan plan, PlannedBatch batch)
    {
        if (c.BlueGreen)
        {
            return BlueGreenFacts.Preview(c, batch);
        }

        if (TrafficFacts.Steps(c, plan) is not { } steps)
        {
            return c.Fire(RolloutEvent.TrafficShifted);
        }

        var desired = TrafficFacts.Desired(c, steps[batch.Index]);
        if (TrafficFacts.Routed(c, desired))
        {
            c.Events.Add(RecordedEvent.Normal("TrafficShifted", $"batch {batch.Index + 1}/{plan.Count}: {desired} ({c.Traffic})"));
            return c.Fire(RolloutEvent.TrafficShifted);
        }

        if (TrafficFacts.SendsToTarget(desired) && TrafficFacts.ReadyPods(c, ServiceRole.Canary) == 0)
        {
            return c.WaitWithDeadline(batch, "ready target pods behind the canary Service before any request goes to them");
        }

        c.Emit(desired);
        return c.Wait($"the routes to send {desired.Weight}% to the target");
    }
}
