using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>verifyingSpec</c>: everything that can be refused is refused here, before anything is touched: the workload, the
/// plan against the actual size, and the traffic fields (pure checks, then what the routers found).
/// </summary>
internal static class VerifyStep
{
    public static bool Run(DecisionContext c)
    {
        if (c.Spec.RolloutPlan is null)
        {
            return c.Fail("InvalidPlan", "spec.rolloutPlan: Required value");
        }

        // A revision or workload that cannot work comes first: the plan's sizes mean nothing without it.
        if (c.Input.Revisions?.WorkloadProblem is { } problem)
        {
            return c.Fail("WorkloadNotReady", problem);
        }

        var plan = PlanCalculator.Calculate(c.Plan, c.Shape with { Origin = c.Input.Revisions?.SizeOrigin });
        if (!plan.IsValid)
        {
            return c.Fail("InvalidPlan", plan.Error.Message);
        }

        if (TrafficProblem(c, plan.Plan) is { } traffic)
        {
            return c.Fail("InvalidTrafficPlan", traffic);
        }

        if (c.Input.AnalysisProblem is { } analysis)
        {
            return c.Fail("InvalidAnalysis", analysis);
        }

        return c.Fire(RolloutEvent.SpecVerified);
    }

    private static string? TrafficProblem(DecisionContext c, BatchPlan plan)
    {
        var errors = new List<PlanError>(TrafficPlanValidator.Validate(c.Plan));
        if (c.Input.Revisions?.WorkloadKind is { } kind && TrafficPlanValidator.ValidateWorkloadKind(c.Plan, kind) is { } kindError)
        {
            errors.Add(kindError);
        }

        if (errors.Count == 0 && c.Routed)
        {
            var steps = TrafficWeights.Resolve(c.Plan, plan);
            if (!steps.IsValid)
            {
                errors.Add(steps.Error);
            }
            else if (plan.Count < 2)
            {
                errors.Add(new PlanError("spec.rolloutPlan.rolloutBatches",
                    "spec.rolloutPlan.rolloutBatches: Invalid value: 1 batch: with trafficRouting the plan needs at least two batches: traffic only goes to "
                    + "target pods that are ready, so a first batch must bring some up before the last one moves the source's remaining pods"));
            }
        }

        if (errors.Count == 0 && c.Input.Revisions?.TrafficProblem is { } found)
        {
            return found;
        }

        return errors.Count == 0 ? null : string.Join("; ", errors.Select(e => e.Message));
    }
}
