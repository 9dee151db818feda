using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>
/// A run's status as its measurements decide it, the metrics due for a measurement now, and when the next one after
/// those falls due (null once the run is decided).
/// </summary>
public sealed record RunProgress(AnalysisRunStatus Status, IReadOnlyList<string> Due, DateTimeOffset? NextAt)
{
    public bool IsDecided => Status.Phase is not (null or AnalysisPhase.Running);
}
