using Sluice.Core.Analysis.Judge;
using Sluice.Core.Api;
using static Sluice.Core.Api.AnalysisPhase;

namespace Sluice.Core.Tests.Analysis.Judge;

public class SampleJudgeTests
{
    private static readonly double[] Low = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly double[] High = [101, 102, 103, 104, 105, 106, 107, 108];

    [Fact]
    public void Judge_TargetClearlyHigher_FailsOnIncrease()
    {
        var verdict = SampleJudge.Judge(High, Low, new MetricJudge());

        verdict.Phase.ShouldBe(Failed);
        verdict.Value["shift"]!.GetValue<double>().ShouldBe(100);
        verdict.Message.ShouldStartWith("the target is higher than the source by more than the tolerance: shift 100 (95% CI ");
    }

    [Fact]
    public void Judge_TargetClearlyHigher_PassesWhenOnlyADecreaseIsBad() =>
        SampleJudge.Judge(High, Low, new MetricJudge { Direction = JudgeDirection.Decrease }).Phase.ShouldBe(Successful);

    [Fact]
    public void Judge_TargetClearlyLower_FailsOnDecreaseAndEither()
    {
        SampleJudge.Judge(Low, High, new MetricJudge { Direction = JudgeDirection.Decrease }).Phase.ShouldBe(Failed);
        SampleJudge.Judge(Low, High, new MetricJudge { Direction = JudgeDirection.Either }).Phase.ShouldBe(Failed);
    }

    [Fact]
    public void Judge_ShiftWithinTheTolerance_Passes()
    {
        double[] source = [100, 101, 102, 103, 104, 105, 106, 107];
        var target = source.Select(v => v + 5).ToArray();

        SampleJudge.Judge(target, source, new MetricJudge { Tolerance = NumberOrString.FromString("10%") }).Phase.ShouldBe(Successful);
        SampleJudge.Judge(target, source, new MetricJudge { Tolerance = NumberOrString.FromNumber(1) }).Phase.ShouldBe(Failed);
    }

    [Fact]
    public void Judge_TooFewSamples_IsInconclusiveAndSaysHowMany()
    {
        var verdict = SampleJudge.Judge([1, 2, 3], High, new MetricJudge());

        verdict.Phase.ShouldBe(Inconclusive);
        verdict.Message.ShouldBe("too few samples to judge at confidence 0.95: 3 of the target, 8 of the source (at least 5 each)");
    }

    [Fact]
    public void Estimate_HodgesLehmann_IsTheMedianOfPairwiseDifferences()
    {
        var estimate = MannWhitney.Estimate([11, 12, 13, 14, 15], [1, 2, 3, 4, 5], 0.9)!;

        estimate.Shift.ShouldBe(10);
        estimate.Lower.ShouldBeGreaterThan(6);
        estimate.Upper.ShouldBeLessThan(14);
        estimate.Lower.ShouldBeLessThanOrEqualTo(estimate.Shift);
    }

    [Fact]
    public void Estimate_IsShiftEquivariant()
    {
        double[] target = [3, 9, 4, 7, 1, 8, 2];
        double[] source = [5, 6, 1, 2, 8, 3];

        var a = MannWhitney.Estimate(target, source, 0.95)!;
        var b = MannWhitney.Estimate(target.Select(v => v + 42).ToArray(), source, 0.95)!;

        b.Shift.ShouldBe(a.Shift + 42, 1e-9);
        b.Lower.ShouldBe(a.Lower + 42, 1e-9);
        b.Upper.ShouldBe(a.Upper + 42, 1e-9);
    }

    [Theory]
    [InlineData(0.975, 1.959964)]
    [InlineData(0.95, 1.644854)]
    [InlineData(0.5, 0)]
    [InlineData(0.01, -2.326348)]
    public void Quantile_MatchesTheNormalTable(double p, double z) => NormalDistribution.Quantile(p).ShouldBe(z, 1e-6);

    [Theory]
    [InlineData(4, 0, 0, "Successful")]
    [InlineData(3, 1, 0, "Inconclusive")]
    [InlineData(1, 3, 0, "Failed")]
    [InlineData(1, 2, 1, "Failed")]
    [InlineData(3, 0, 1, "undecided")]
    [InlineData(0, 0, 0, "undecided")]
    public void Score_KayentaThresholds(int passed, int failed, int undecided, string expected) =>
        (JudgeScoring.Score(passed, failed, undecided, null)?.Phase.ToString() ?? "undecided").ShouldBe(expected);
}
