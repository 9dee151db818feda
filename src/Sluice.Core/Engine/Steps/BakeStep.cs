using Sluice.Core.Analysis;
using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>batchPausing</c>: the batch's <c>pause</c> after its traffic step: <c>{duration}</c> holds that long from when the
/// step began (recorded in status, so a restart keeps the clock), <c>{}</c> until the rollout is promoted past this batch.
/// The batch's AnalysisRun starts here, so its measurements fill the bake window; a failure it decides meanwhile fails the
/// batch at once rather than at the end of the pause.
/// </summary>
internal static class BakeStep
{
    public static bool Run(DecisionContext c, PlannedBatch batch)
    {
        if (AnalysisFacts.HasChecks(c, batch))
        {
            AnalysisFacts.Start(c, batch, c.Input.Name);
            if (AnalysisFacts.Run(c, batch) is { } run && !AnalysisFacts.FailIfFailed(c, AnalysisOutcome.Of(run)))
            {
                return false;
            }
        }

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

        if (Promotion.Promoted(c, batch))
        {
            return c.Fire(RolloutEvent.PauseEnded);
        }

        Promotion.Hold(c, "PausedAtBatch", $"batch {batch.Index + 1} holds until promoted (sluice rollout promote)");
        return c.Wait($"batch {batch.Index + 1} to be promoted (pause: {{}})");
    }
}
