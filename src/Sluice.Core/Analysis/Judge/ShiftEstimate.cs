namespace Sluice.Core.Analysis.Judge;

/// <summary>
/// The Hodges-Lehmann estimate of how far the target's distribution is shifted from the source's, with the
/// bounds of its two-sided confidence interval.
/// </summary>
public sealed record ShiftEstimate(double Shift, double Lower, double Upper, int TargetCount, int SourceCount);
