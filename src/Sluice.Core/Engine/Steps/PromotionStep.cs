using Sluice.Core.Api;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>promoting</c> (blue/green): the target is fully up and every batch's checks passed; the active Service switches to it
/// in one write, <c>autoPromotionSeconds</c> after this step began (at once when absent), or when promoted while the plan
/// is <c>paused</c>. The switch happens only with the target fully ready.
/// </summary>
internal static class PromotionStep
{
    public static bool Run(DecisionContext c)
    {
        if (c.Workload is not { } workload || TrafficFacts.Hashes(c) is not { } hashes)
        {
            return c.Wait("the workload to be observed");
        }

        if (BlueGreenFacts.Switched(c))
        {
            c.Events.Add(RecordedEvent.Normal("Promoted", $"the active Service {c.Plan.BlueGreen!.ActiveService} serves {c.Status.LastTargetAppRevision}"));
            return c.Fire(RolloutEvent.Promoted);
        }

        if (!workload.Settled || workload.TargetReady < c.Status.RolloutTargetSize)
        {
            return c.Wait($"every target pod ready before the switch ({workload.TargetReady} of {c.Status.RolloutTargetSize})");
        }

        if (c.Plan.Paused == true)
        {
            Promotion.Hold(c, "PausedBeforeSwitch", $"the target is up behind {c.Plan.BlueGreen!.EffectivePreviewService}; `sluice rollout resume` switches the active Service");
            return c.Wait("spec.rolloutPlan.paused to be false before the switch");
        }

        if (c.Plan.BlueGreen!.AutoPromotionSeconds is { } seconds && c.StepStarted is { } since && c.Now < since + TimeSpan.FromSeconds(seconds))
        {
            var at = since + TimeSpan.FromSeconds(seconds);
            return c.WaitFor($"the switch at {at:HH:mm:ss}Z (autoPromotionSeconds {seconds})", at - c.Now);
        }

        if (c.Status.Condition(ConditionTypes.WaitingForPromotion)?.Status == ConditionStatus.True)
        {
            c.SetCondition(ConditionTypes.WaitingForPromotion, ConditionStatus.False, "Promoted", "switching the active Service", restamp: true);
        }

        c.Emit(new SwitchActive(hashes.Target));
        return c.Wait($"the active Service {c.Plan.BlueGreen.ActiveService} to select the target's pods");
    }
}
