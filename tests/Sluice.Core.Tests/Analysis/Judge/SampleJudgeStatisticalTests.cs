namespace Sluice.Core.Tests.Analysis.Judge;

/// <summary>The judge's error rates over 1,000 seeded trials per scenario (bench/judge prints the same figures).</summary>
public class SampleJudgeStatisticalTests
{
    private const int Trials = 1000;
    private const int Seed = 20260101;

    public static TheoryData<int> IdenticalScenarios => [.. Enumerable.Range(0, JudgeScenarios.Identical.Count)];

    public static TheoryData<int> HealthyScenarios => [.. Enumerable.Range(0, JudgeScenarios.Healthy.Count)];

    public static TheoryData<int> RegressionScenarios => [.. Enumerable.Range(0, JudgeScenarios.Regressions.Count)];

    [Theory]
    [MemberData(nameof(IdenticalScenarios))]
    public void Judge_IdenticalDistributions_FlaggedInAtMostFivePercent(int scenario)
    {
        var rate = JudgeScenarios.FlaggedRate(JudgeScenarios.Identical[scenario], Trials, Seed + scenario);

        rate.ShouldBeLessThanOrEqualTo(0.05, JudgeScenarios.Identical[scenario].Name);
    }

    [Theory]
    [MemberData(nameof(HealthyScenarios))]
    public void Judge_HealthyCanary_FlaggedInAtMostFivePercent(int scenario)
    {
        var rate = JudgeScenarios.FlaggedRate(JudgeScenarios.Healthy[scenario], Trials, Seed + 50 + scenario);

        rate.ShouldBeLessThanOrEqualTo(0.05, JudgeScenarios.Healthy[scenario].Name);
    }

    [Theory]
    [MemberData(nameof(RegressionScenarios))]
    public void Judge_RealRegression_FlaggedInAtLeast95Percent(int scenario)
    {
        var rate = JudgeScenarios.FlaggedRate(JudgeScenarios.Regressions[scenario], Trials, Seed + 100 + scenario);

        rate.ShouldBeGreaterThanOrEqualTo(0.95, JudgeScenarios.Regressions[scenario].Name);
    }
}
