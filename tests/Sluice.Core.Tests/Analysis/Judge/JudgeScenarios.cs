using Sluice.Core.Analysis.Judge;
using Sluice.Core.Api;

namespace Sluice.Core.Tests.Analysis.Judge;

/// <summary>
/// Seeded simulations of what a judge sees: per-step samples of an error rate (percent of a step's requests that
/// failed) and of a p99 latency (the 99th percentile of a step's log-normal request latencies). Shared with
/// bench/Sluice.Bench.Judge, which prints the rates these tests assert.
/// </summary>
public static class JudgeScenarios
{
    /// <summary>Samples (steps) per side: a 5-minute window at a 15 s step.</summary>
    public const int Samples = 20;

    /// <summary>Requests a step of the target sees: 10% of 40 rps over 15 s.</summary>
    public const int TargetRequests = 60;

    /// <summary>Requests a step of the source sees: 90% of 40 rps over 15 s.</summary>
    public const int SourceRequests = 540;

    public const double BaseErrorPercent = 1;
    public const double MedianLatencyMs = 50;
    public const double LatencySigma = 0.6;

    public sealed record Scenario(string Name, Func<Random, (double[] Target, double[] Source)> Draw, MetricJudge Judge);

    public static readonly MetricJudge Strict = new() { Direction = JudgeDirection.Increase, Confidence = 0.95 };

    public static readonly MetricJudge Tolerant = new() { Direction = JudgeDirection.Increase, Confidence = 0.95, Tolerance = NumberOrString.FromString("10%") };

    /// <summary>Requests a step sees on each side when both get the same traffic (a 50/50 split).</summary>
    public const int EvenRequests = 150;

    /// <summary>
    /// Scenarios where target and source are drawn from one distribution (the same traffic on each side): a judge
    /// should flag at most 1 - confidence of them, whatever the tolerance (these use none, the strictest).
    /// </summary>
    public static IReadOnlyList<Scenario> Identical { get; } =
    [
        new("error rate 1% vs 1%, even split", r => (ErrorRates(r, EvenRequests, BaseErrorPercent), ErrorRates(r, EvenRequests, BaseErrorPercent)), Strict),
        new("p99 vs p99, even split", r => (P99s(r, EvenRequests, 0), P99s(r, EvenRequests, 0)), Strict),
        new("normal vs normal, increase", r => (Normals(r, 100, 10), Normals(r, 100, 10)), Strict),
        new("normal vs normal, decrease", r => (Normals(r, 100, 10), Normals(r, 100, 10)), Strict with { Direction = JudgeDirection.Decrease }),
        new("normal vs normal, either", r => (Normals(r, 100, 10), Normals(r, 100, 10)), Strict with { Direction = JudgeDirection.Either }),
    ];

    /// <summary>
    /// No regression at a canary's 10/90 split, with the 10% tolerance a user would set: a step's target p99 over
    /// fewer requests runs lower than the source's, so these are flagged even less than identical draws.
    /// </summary>
    public static IReadOnlyList<Scenario> Healthy { get; } =
    [
        new("error rate 1% vs 1%, 10/90 split", r => (ErrorRates(r, TargetRequests, BaseErrorPercent), ErrorRates(r, SourceRequests, BaseErrorPercent)), Tolerant),
        new("p99 vs p99, 10/90 split", r => (P99s(r, TargetRequests, 0), P99s(r, SourceRequests, 0)), Tolerant),
    ];

    /// <summary>Scenarios with a real regression: a judge should flag at least 95% of them.</summary>
    public static IReadOnlyList<Scenario> Regressions { get; } =
    [
        new("error rate 1% -> 6%, 10/90 split", r => (ErrorRates(r, TargetRequests, BaseErrorPercent + 5), ErrorRates(r, SourceRequests, BaseErrorPercent)), Tolerant),
        new("p99 +100 ms, 10/90 split", r => (P99s(r, TargetRequests, 100), P99s(r, SourceRequests, 0)), Tolerant),
    ];

    /// <summary>The share of <paramref name="trials"/> seeded trials the judge fails.</summary>
    public static double FlaggedRate(Scenario scenario, int trials, int seed)
    {
        var random = new Random(seed);
        var flagged = 0;
        for (var i = 0; i < trials; i++)
        {
            var (target, source) = scenario.Draw(random);
            if (SampleJudge.Judge(target, source, scenario.Judge).Phase == AnalysisPhase.Failed)
            {
                flagged++;
            }
        }

        return (double)flagged / trials;
    }

    public static double[] ErrorRates(Random random, int requests, double percent) =>
        Enumerable.Range(0, Samples).Select(_ => 100.0 * Binomial(random, requests, percent / 100) / requests).ToArray();

    public static double[] P99s(Random random, int requests, double addMs) =>
        Enumerable.Range(0, Samples).Select(_ =>
        {
            var latencies = Enumerable.Range(0, requests).Select(_ => (MedianLatencyMs * Math.Exp(LatencySigma * Gaussian(random))) + addMs).Order().ToArray();
            return latencies[(int)Math.Ceiling(0.99 * requests) - 1];
        }).ToArray();

    public static double[] Normals(Random random, double mean, double sd) =>
        Enumerable.Range(0, Samples).Select(_ => mean + (sd * Gaussian(random))).ToArray();

    private static int Binomial(Random random, int n, double p) => Enumerable.Range(0, n).Count(_ => random.NextDouble() < p);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
