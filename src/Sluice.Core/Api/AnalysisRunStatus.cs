namespace Sluice.Core.Api;

/// <summary>Every measurement so far and what follows from them; a restarted controller continues from here.</summary>
public sealed record AnalysisRunStatus
{
    public AnalysisPhase? Phase { get; init; }

    /// <summary>Why the run is in its phase: which metric decided it, with its value.</summary>
    public string? Message { get; init; }

    /// <summary>One line per metric for `kubectl get` ("error-rate Failed 2/3, latency Running 1/5").</summary>
    public string? Summary { get; init; }

    /// <summary>When the run started measuring (initialDelay counts from here).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The metric and value that decided a Failed or Inconclusive run.</summary>
    public AnalysisDecider? DecidedBy { get; init; }

    public IReadOnlyList<MetricResult>? MetricResults { get; init; }

    /// <summary>The judged metrics' score, once they are all decided.</summary>
    public JudgeScore? Score { get; init; }

    public MetricResult? Metric(string name) => MetricResults?.FirstOrDefault(m => m.Name == name);
}
