namespace Sluice.Core.Api;

/// <summary>One metric of a run: its phase, its counters, and every measurement in order.</summary>
public sealed record MetricResult
{
    public required string Name { get; init; }

    public AnalysisPhase Phase { get; init; } = AnalysisPhase.Running;

    public bool? DryRun { get; init; }

    /// <summary>Measurements that gave a value (every phase but Error).</summary>
    public int Count { get; init; }

    public int Successful { get; init; }

    public int Failed { get; init; }

    public int Inconclusive { get; init; }

    public int Error { get; init; }

    /// <summary>Errors since the last measurement that gave a value.</summary>
    public int ConsecutiveError { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<Measurement>? Measurements { get; init; }
}
