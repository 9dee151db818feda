using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>
/// What a batch's AnalysisRun means for the rollout, read from its status: still measuring (wait), Successful (go on),
/// Failed (BatchFailed), Inconclusive (pause until promote or abort), or Error (its spec could not be measured).
/// <see cref="Metric"/> and <see cref="Value"/> name what decided it, for a condition such as
/// "analysis rolling-example-0-1 failed: success-rate = 79.6 (...)".
/// </summary>
public sealed record AnalysisOutcome(AnalysisPhase Phase, string Message, string? Metric, string? Value)
{
    public bool IsDecided => Phase != AnalysisPhase.Running;

    /// <summary>The outcome of <paramref name="run"/>; a run no controller has picked up yet is Running.</summary>
    public static AnalysisOutcome Of(AnalysisRun run)
    {
        var status = run.Status;
        var name = run.Metadata.Name ?? "analysis";
        if (status?.Phase is not { } phase || phase == AnalysisPhase.Running)
        {
            return new AnalysisOutcome(AnalysisPhase.Running, $"analysis {name}: {status?.Message ?? "waiting for the AnalysisRun controller"}", null, null);
        }

        var by = status.DecidedBy;
        var value = by?.Value is null ? null : MeasurementVerdict.Show(by.Value);
        var verb = phase switch
        {
            AnalysisPhase.Successful => "passed",
            AnalysisPhase.Failed => "failed",
            AnalysisPhase.Inconclusive => "is inconclusive",
            _ => "cannot measure",
        };
        return new AnalysisOutcome(phase, $"analysis {name} {verb}: {status.Message}", by?.Metric, value);
    }
}
