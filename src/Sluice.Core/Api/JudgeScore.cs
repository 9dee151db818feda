namespace Sluice.Core.Api;

/// <summary>Kayenta-style score: the percent of judged metrics that passed, and what it means against the thresholds.</summary>
public sealed record JudgeScore
{
    public required double Value { get; init; }

    public required int Passed { get; init; }

    public required int Judged { get; init; }

    public required AnalysisPhase Phase { get; init; }
}
