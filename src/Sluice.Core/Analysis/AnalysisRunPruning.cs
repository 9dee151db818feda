using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>Which of a rollout's AnalysisRuns to delete so that only the last few are kept.</summary>
public static class AnalysisRunPruning
{
    public const int DefaultKeep = 5;

    /// <summary>
    /// The names to delete: every run beyond the newest <paramref name="keep"/> (by creation time, then name), never
    /// one still Running (the engine may be waiting on it). Example: runs 0-1, 1-1, 2-1 (Running), keep 1: 0-1 and 1-1.
    /// </summary>
    public static IReadOnlyList<string> ToPrune(IReadOnlyList<AnalysisRun> runs, int keep)
    {
        var ordered = runs
            .OrderByDescending(r => r.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenByDescending(r => r.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        return ordered.Skip(Math.Max(0, keep))
            .Where(r => RunAnalysis.IsTerminal(r.Status?.Phase))
            .Select(r => r.Metadata.Name!)
            .ToList();
    }
}
