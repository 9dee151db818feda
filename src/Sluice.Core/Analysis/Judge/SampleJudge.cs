using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Core.Api;

namespace Sluice.Core.Analysis.Judge;

/// <summary>
/// Kayenta's Mann-Whitney judge over one metric: is the target worse than the source by more than the tolerance,
/// with the given confidence? As Kayenta does, it takes the two-sided confidence interval of the Hodges-Lehmann
/// shift at that confidence, whatever the direction; with t the tolerance (a percent of the source's median, or an
/// absolute amount):
/// <list type="bullet">
/// <item><c>increase</c> (higher is worse: latency, errors): Failed when the interval lies wholly above t;</item>
/// <item><c>decrease</c> (lower is worse: success rate): Failed when it lies wholly below -t;</item>
/// <item><c>either</c>: Failed when it lies wholly above t or wholly below -t;</item>
/// <item>Successful otherwise; Inconclusive when either side has fewer than <see cref="MannWhitney.MinSamples"/> samples.</item>
/// </list>
/// Example: source p99s around 200 ms, target around 300 ms, 20 samples each, tolerance 10%: the lower bound is near
/// 100 ms, above the 20 ms allowed, so Failed. Identical distributions are Failed in at most (1 - confidence) / 2 of
/// trials for increase or decrease, and 1 - confidence for either (bench/judge prints the measured rates).
/// </summary>
public static class SampleJudge
{
    public static JudgeVerdict Judge(IReadOnlyList<double> target, IReadOnlyList<double> source, MetricJudge judge)
    {
        var direction = judge.EffectiveDirection;
        var confidence = judge.EffectiveConfidence;
        var sourceMedian = MannWhitney.Median(source);
        var targetMedian = MannWhitney.Median(target);
        var tolerance = ToleranceOf(judge.Tolerance, sourceMedian);
        var value = new JsonObject
        {
            ["target"] = Summary(target.Count, targetMedian),
            ["source"] = Summary(source.Count, sourceMedian),
            ["tolerance"] = Round(tolerance),
        };
        var estimate = MannWhitney.Estimate(target, source, confidence);
        if (estimate is null)
        {
            return new JudgeVerdict(AnalysisPhase.Inconclusive,
                $"too few samples to judge at confidence {F(confidence)}: {target.Count} of the target, {source.Count} of the source (at least {MannWhitney.MinSamples} each)", value);
        }

        value["shift"] = Round(estimate.Shift);
        value["lower"] = Round(estimate.Lower);
        value["upper"] = Round(estimate.Upper);

        var worseUp = direction != JudgeDirection.Decrease && estimate.Lower > tolerance;
        var worseDown = direction != JudgeDirection.Increase && estimate.Upper < -tolerance;
        var interval = $"shift {F(estimate.Shift)} ({F(confidence * 100)}% CI {F(estimate.Lower)}..{F(estimate.Upper)}), target median {F(targetMedian)} vs source {F(sourceMedian)}, tolerance {F(tolerance)}";
        if (worseUp || worseDown)
        {
            return new JudgeVerdict(AnalysisPhase.Failed,
                $"the target is {(worseUp ? "higher" : "lower")} than the source by more than the tolerance: {interval}", value);
        }

        return new JudgeVerdict(AnalysisPhase.Successful, $"no {Describe(direction)} beyond the tolerance: {interval}", value);
    }

    /// <summary>The absolute tolerance: "10%" of |source median|, or the number itself; 0 when absent or unreadable.</summary>
    public static double ToleranceOf(NumberOrString? tolerance, double sourceMedian)
    {
        if (tolerance is null)
        {
            return 0;
        }

        if (tolerance.TryPercent(out var percent))
        {
            return double.IsFinite(sourceMedian) ? Math.Abs(sourceMedian) * percent / 100 : 0;
        }

        return tolerance.TryNumber(out var absolute) ? absolute : 0;
    }

    private static string Describe(JudgeDirection direction) => direction switch
    {
        JudgeDirection.Increase => "increase",
        JudgeDirection.Decrease => "decrease",
        _ => "change",
    };

    private static JsonObject Summary(int count, double median)
    {
        var summary = new JsonObject { ["samples"] = count };
        if (double.IsFinite(median))
        {
            summary["median"] = Round(median);
        }

        return summary;
    }

    private static double Round(double value) => Math.Round(value, 6);

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
