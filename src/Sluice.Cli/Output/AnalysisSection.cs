using System.Text;
using Sluice.Controllers.Operations;
using Sluice.Core.Api;

namespace Sluice.Cli.Output;

/// <summary>
/// The analysis part of <c>rollout watch</c> and <c>describe rollout</c>: the AnalysisRun the status names (the current
/// batch's), its phase and why, and per metric its phase, counters, last measurements and what decides them. Pure.
/// </summary>
internal static class AnalysisSection
{
    /// <summary>Measurements shown per metric (the latest).</summary>
    public const int LastShown = 4;

    public static string Render(AnalysisRun run)
    {
        var status = run.Status;
        var text = new StringBuilder();
        text.Append($"Analysis ({RolloutAnalysis.BatchOf(run)}, AnalysisRun {run.Metadata.Name}): {status?.Phase?.ToString() ?? "Pending"}\n");
        if (status?.Message is { Length: > 0 } message)
        {
            text.Append($"  Why: {message}\n");
        }

        var rows = (run.Spec.Metrics ?? []).Select(metric =>
        {
            var result = status?.Metric(metric.Name ?? "");
            var last = (result?.Measurements ?? []).TakeLast(LastShown).Select(AnalysisText.Measured).ToList();
            return (IReadOnlyList<string>)
            [
                metric.Name + (metric.IsDryRun ? " (dry-run)" : ""),
                result?.Phase.ToString() ?? "Pending",
                result is null ? "-" : AnalysisText.Counts(result),
                last.Count == 0 ? "-" : string.Join(", ", last),
                AnalysisText.Condition(metric),
            ];
        });
        text.Append(string.Concat(TextTable.Render(["METRIC", "PHASE", "MEASURED", "LAST", "DECIDED BY"], rows)
            .Split('\n').Where(l => l.Length > 0).Select(l => $"  {l}\n")));
        return text.ToString();
    }
}
