using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>batchPausing</c>: the batch's <c>pause</c> after its traffic step: <c>{duration}</c> holds that long from when the
/// step began (recorded in status, so a restart keeps the clock), <c>{}</c> until the rollout is promoted past this batch.
/// </summary>
internal static class BakeStep
{
    public static bool Run(DecisionContext c, PlannedBatch batch)
    {
        var pause = c.BatchSpec(batch).Pause;
        if (pause is null)
        {
            return c.Fire(RolloutEvent.PauseEnded);
        }

        if (pause.Duration is { } text)
        {
            if (!PauseDuration.TryParse(text, out var duration))
            {
                return c.Fail("InvalidPlan", $"spec.rolloutPlan.rolloutBatches[{batch.Index}].pause.duration: Invalid value: \"{text}\"");
            }

            var until = (c.StepStarted ?? c.Now) + duration;
            if (c.Now < until)
            {
                return c.WaitFor($"the pause after batch {batch.Index + 1} ({text}, until {until:HH:mm:ss}Z)", until - c.Now);
            }

            return c.Fire(RolloutEvent.PauseEnded);
        }

        if (c.Input.PromotedBatch is { } promoted && promoted >= batch.Index)
        {
            c.SetCondition(ConditionTypes.WaitingForPromotion, ConditionStatus.False, "Promoted", $"batch {batch.Index + 1} promoted", restamp: true);
            c.Events.Add(RecordedEvent.Normal("Promoted", $"batch {batch.Index + 1} promoted: going on"));
            return c.Fire(RolloutEvent.PauseEnded);
        }

        c.SetCondition(ConditionTypes.WaitingForPromotion, ConditionStatus.True, "PausedAtBatch",
            $"batch {batch.Index + 1} holds until promoted (sluice rollout promote)", restamp: false);
        return c.Wait($"batch {batch.Index + 1} to be promoted (pause: {{}})");
    }
}
