using Sluice.Core.Analysis;
using Sluice.Core.Api;
using Sluice.Core.Plans;

namespace Sluice.Core.Engine.Steps;

/// <summary>
/// What the batch steps share about metric analysis: whether a batch has checks (the plan's and its own canaryMetric), its
/// AnalysisRun (started with the batch's pause, so measurements fill the bake window), and what the run decided.
/// </summary>
internal static class AnalysisFacts
{
    public static bool HasChecks(DecisionContext c, PlannedBatch batch) =>
        c.Plan.CanaryMetric is { Count: > 0 } || c.BatchSpec(batch).CanaryMetric is { Count: > 0 };

    /// <summary>The current batch's run when it belongs to this batch and attempt (a run of an earlier batch or start is not it).</summary>
    public static AnalysisRun? Run(DecisionContext c, PlannedBatch batch)
    {
        var run = c.Input.Analysis;
        var name = run?.Metadata.Name;
        return run is not null && name is not null && name == c.Status.AnalysisRun
            && run.Metadata.Label(AnalysisRun.BatchLabel) == batch.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? run
            : null;
    }

    /// <summary>
    /// Starts the batch's run unless it exists: the status records its name (a pure function of the batch and the attempt),
    /// so a controller that crashed after creating it finds it again.
    /// </summary>
    public static void Start(DecisionContext c, PlannedBatch batch, string rolloutName)
    {
        var attempt = c.Status.Attempt ?? 1;
        var name = AnalysisRunBuilder.Name(rolloutName, batch.Index, attempt);
        if (c.Status.AnalysisRun != name)
        {
            c.Status = c.Status with { AnalysisRun = name };
        }

        if (Run(c, batch) is null)
        {
            c.Emit(new StartAnalysis(batch.Index, attempt));
        }
    }

    /// <summary>A decided failure (Failed, or a spec that cannot be measured) fails the batch: traffic back first, then onFailure.</summary>
    public static bool FailIfFailed(DecisionContext c, AnalysisOutcome outcome) => outcome.Phase switch
    {
        AnalysisPhase.Failed => c.Fail("AnalysisFailed", outcome.Message),
        AnalysisPhase.Error => c.Fail("AnalysisError", outcome.Message),
        _ => true,
    };
}
