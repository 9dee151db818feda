namespace Sluice.Core.Analysis.Judge;

/// <summary>
/// The Mann-Whitney U (Wilcoxon rank-sum) view of two samples: the Hodges-Lehmann shift estimate (the median of
/// every target - source difference) and its distribution-free confidence interval, the order statistics of those
/// differences at the ranks the U statistic's normal approximation gives (Hollander and Wolfe), with the continuity
/// correction R's wilcox.test applies: C = floor(nm/2 - z·sqrt(nm(n+m+1)/12) - 1/2); lower = D(C), upper = D(nm+1-C).
/// Rounding C down and leaving out the tie correction widen the interval, so the stated confidence is a floor,
/// never an overstatement. No assumption on the shape of the distributions.
/// Example: target {11,12,13,14,15}, source {1,2,3,4,5}: every difference is 6 to 14, the shift 10.
/// </summary>
public static class MannWhitney
{
    /// <summary>Fewer samples than this on either side and the judge says Inconclusive.</summary>
    public const int MinSamples = 5;

    /// <summary>
    /// The shift of <paramref name="target"/> from <paramref name="source"/> with its two-sided <paramref name="confidence"/>
    /// interval; null when the samples are too few for that confidence.
    /// </summary>
    public static ShiftEstimate? Estimate(IReadOnlyList<double> target, IReadOnlyList<double> source, double confidence)
    {
        int n = target.Count, m = source.Count;
        if (n < MinSamples || m < MinSamples || confidence is <= 0.5 or >= 1)
        {
            return null;
        }

        var differences = new double[n * m];
        var k = 0;
        foreach (var x in target)
        {
            foreach (var y in source)
            {
                differences[k++] = x - y;
            }
        }

        Array.Sort(differences);
        var total = differences.Length;
        var shift = total % 2 == 1 ? differences[total / 2] : (differences[(total / 2) - 1] + differences[total / 2]) / 2;
        var z = NormalDistribution.Quantile((1 + confidence) / 2);
        var sigma = Math.Sqrt((double)n * m * (n + m + 1) / 12);
        var c = (int)Math.Floor((total / 2.0) - (z * sigma) - 0.5);
        if (c < 1)
        {
            return null;
        }

        return new ShiftEstimate(shift, differences[c - 1], differences[total - c], n, m);
    }

    /// <summary>The median of a sample (the mean of the middle two for an even count); NaN when empty.</summary>
    public static double Median(IReadOnlyList<double> sample)
    {
        if (sample.Count == 0)
        {
            return double.NaN;
        }

        var sorted = sample.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
