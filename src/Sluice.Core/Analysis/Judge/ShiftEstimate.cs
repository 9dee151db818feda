namespace Sluice.Core.Analysis.Judge;

/// <summary>
/// The Hodges-Lehmann estimate of how far the target's distribution is shifted from the source's, with the
/// bounds of its confidence interval (either may be infinite when one-sided).
/// </summary>
public sealed record ShiftEstimate(double Shift, double Lower, double Upper, int TargetCount, int SourceCount);
