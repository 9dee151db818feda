using Sluice.Core.Api;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>finalising</c>: the finalize-rollout webhooks, then the workload released (on two objects the source deleted). With a
/// router: first the stable Service promoted to the target (in one write), and once the source's pods are gone the routes
/// and Services put back as the rollout found them.
/// </summary>
internal static class SuccessStep
{
    public static bool Run(DecisionContext c)
    {
        if (!c.PassGate(WebhookType.FinalizeRollout, 0, c.Plan.RolloutWebhooks, null))
        {
            return false;
        }

        if (c.Routed && TrafficFacts.Hashes(c) is { } hashes && c.Traffic.Service(ServiceRole.Stable)?.SelectedHash == hashes.Source)
        {
            c.Emit(new PromoteStable(hashes.Target));
            return c.Wait("the stable Service to select the target's pods");
        }

        c.Emit(new ReleaseWorkload(Succeeded: true));
        if ((c.Routed || c.BlueGreen) && c.Traffic.Touched)
        {
            if (c.Workload is { SourcePods: > 0 } workload)
            {
                return c.Wait($"the source's {workload.SourcePods} pods to go before the routes are put back");
            }

            c.Emit(new ResetTraffic());
        }

        c.Status = c.Status with { LastAppliedPodTemplateIdentifier = c.Status.TargetGeneration };
        c.SetCondition(ConditionTypes.Succeeded, ConditionStatus.True, "RolloutSucceeded",
            $"{c.Status.RolloutTargetSize} pods on {c.Status.LastTargetAppRevision}", restamp: true);
        c.SetCondition(ConditionTypes.Progressing, ConditionStatus.False, "RolloutSucceeded", "the rollout is complete", restamp: true);
        c.Emit(new PruneAnalysisRuns(Analysis.AnalysisRunPruning.DefaultKeep));
        c.Events.Add(RecordedEvent.Normal("RolloutSucceeded", $"{c.Status.RolloutTargetSize} pods on {c.Status.LastTargetAppRevision}"));
        return c.Fire(RolloutEvent.Finalized);
    }
}
