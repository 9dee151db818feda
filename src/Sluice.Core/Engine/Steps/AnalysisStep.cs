using Sluice.Core.Analysis;
using Sluice.Core.Api;
using Sluice.Core.Plans;
using Sluice.Core.StateMachine;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// <c>batchAnalyzing</c>: the batch waits until its AnalysisRun (the plan's and the batch's canaryMetric) is decided.
/// Successful goes on; Failed fails the batch (traffic back to the source first, then onFailure); Inconclusive holds the
/// rollout with a condition naming the metric and value until it is promoted (go on) or aborted (fail). The wait has no
/// deadline of its own: the run's count and interval bound it. Passes at once without checks.
/// </summary>
internal static class AnalysisStep
{
    public static bool Run(DecisionContext c, PlannedBatch batch)
    {
        if (!AnalysisFacts.HasChecks(c, batch))
        {
            return c.Fire(RolloutEvent.AnalysisPassed);
        }

        AnalysisFacts.Start(c, batch, c.Input.Name);
        if (AnalysisFacts.Run(c, batch) is not { } run)
        {
            return c.Wait($"the AnalysisRun {c.Status.AnalysisRun} to start");
        }

        var outcome = AnalysisOutcome.Of(run);
        switch (outcome.Phase)
        {
            case AnalysisPhase.Running:
                return c.Wait(outcome.Message);
            case AnalysisPhase.Successful:
                c.Events.Add(RecordedEvent.Normal("AnalysisPassed", outcome.Message));
                c.Emit(new PruneAnalysisRuns(AnalysisRunPruning.DefaultKeep));
                return c.Fire(RolloutEvent.AnalysisPassed);
            case AnalysisPhase.Inconclusive when Promotion.Promoted(c, batch):
                c.Events.Add(RecordedEvent.Normal("AnalysisPromoted", $"{outcome.Message}; promoted past it"));
                return c.Fire(RolloutEvent.AnalysisPassed);
            case AnalysisPhase.Inconclusive:
                Promotion.Hold(c, "AnalysisInconclusive",
                    $"{outcome.Message} ({outcome.Metric} = {outcome.Value}): `sluice rollout promote` goes on, `sluice rollout abort` fails the rollout");
                return c.Wait($"a decision on the inconclusive {outcome.Metric}: promote or abort");
            default:
                return AnalysisFacts.FailIfFailed(c, outcome);
        }
    }
}
