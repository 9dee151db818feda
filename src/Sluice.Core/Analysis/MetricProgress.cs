using Sluice.Core.Api;

namespace Sluice.Core.Analysis;

/// <summary>A metric's result as its measurements decide it, and when it must be measured next (null once decided).</summary>
public sealed record MetricProgress(MetricResult Result, DateTimeOffset? DueAt)
{
    public bool IsDecided => Result.Phase != AnalysisPhase.Running;

    public bool IsDue(DateTimeOffset now) => DueAt is { } due && due <= now;
}
