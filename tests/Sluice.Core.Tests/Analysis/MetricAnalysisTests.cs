using Sluice.Core.Analysis;
using Sluice.Core.Api;
using static Sluice.Core.Api.AnalysisPhase;
using static Sluice.Core.Tests.Analysis.Metrics;

namespace Sluice.Core.Tests.Analysis;

public class MetricAnalysisTests
{
    private static readonly CanaryMetric Metric = Prometheus() with { Interval = "1m", Count = 3, FailureLimit = 1, InitialDelay = "30s" };

    [Fact]
    public void Evaluate_NothingMeasured_FirstIsDueAfterInitialDelay()
    {
        var progress = MetricAnalysis.Evaluate(Metric, null, T0, null);

        progress.Result.Phase.ShouldBe(Running);
        progress.DueAt.ShouldBe(T0.AddSeconds(30));
        progress.IsDue(T0).ShouldBeFalse();
        progress.IsDue(T0.AddSeconds(30)).ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_AfterAMeasurement_NextIsDueOneIntervalAfterItFinished() =>
        MetricAnalysis.Evaluate(Metric, Result("error-rate", At(Successful, 30)), T0, null).DueAt.ShouldBe(T0.AddSeconds(90));

    [Fact]
    public void Evaluate_AfterAnError_RetriesSoonerThanTheInterval() =>
        MetricAnalysis.Evaluate(Metric, Result("error-rate", At(Error, 30)), T0, null).DueAt.ShouldBe(T0.AddSeconds(40));

    public static TheoryData<AnalysisPhase[], AnalysisPhase> Sequences => new()
    {
        { [Successful, Successful, Successful], Successful },
        { [Successful, Failed, Successful], Successful },
        { [Failed, Failed], Failed },
        { [Successful, Failed], Running },
        { [Inconclusive], Inconclusive },
        { [Successful, Error, Error, Error, Error], Running },
        { [Successful, Error, Error, Error, Error, Error], Failed },
        { [Error, Error, Error, Error, Successful, Successful, Successful], Successful },
        { [Error, Error, Error, Error, Successful, Error, Error, Error, Error, Error], Failed },
        { [Successful, Successful], Running },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Evaluate_Measurements_DecideByTheLimits(AnalysisPhase[] phases, AnalysisPhase expected)
    {
        var result = Result("error-rate", phases.Select((p, i) => At(p, i * 60)).ToArray());

        MetricAnalysis.Evaluate(Metric, result, T0, null).Result.Phase.ShouldBe(expected);
    }

    [Fact]
    public void Evaluate_FailedPastTheLimit_SaysHowManyAndWhy()
    {
        var progress = MetricAnalysis.Evaluate(Metric, Result("error-rate", At(Failed, 0, 20), At(Failed, 60, 30)), T0, null);

        progress.DueAt.ShouldBeNull();
        progress.Result.Message.ShouldBe("2 of 2 measurements failed (failureLimit 1): Failed at 60s");
        progress.Result.Failed.ShouldBe(2);
    }

    [Fact]
    public void Evaluate_ErrorsInARow_CountOnlySinceTheLastValue()
    {
        var result = Result("error-rate", At(Error, 0), At(Successful, 10), At(Error, 70), At(Error, 80));

        var progress = MetricAnalysis.Evaluate(Metric, result, T0, null);

        progress.Result.ConsecutiveError.ShouldBe(2);
        progress.Result.Error.ShouldBe(3);
        progress.Result.Count.ShouldBe(1);
    }

    [Fact]
    public void Evaluate_DecidedPhase_IsNeverTakenBack()
    {
        var decided = Result("error-rate", At(Successful, 0)) with { Phase = Failed, Message = "decided" };

        MetricAnalysis.Evaluate(Metric, decided, T0, null).Result.Phase.ShouldBe(Failed);
    }

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData(null, 300, 5)]
    [InlineData(null, 30, 1)]
    [InlineData(2, 300, 2)]
    public void CountOf_DefaultsToIntervalsInThePause(int? count, int? pause, int expected) =>
        MetricAnalysis.CountOf(Prometheus() with { Interval = "1m", Count = count }, pause).ShouldBe(expected);

    [Fact]
    public void Record_AppendsAndRecounts()
    {
        var once = MetricAnalysis.Record(null, Metric, At(Failed, 0));
        var twice = MetricAnalysis.Record(once, Metric, At(Successful, 60));

        twice.Measurements!.Select(m => m.Phase).ShouldBe([Failed, Successful]);
        (twice.Count, twice.Failed, twice.Successful).ShouldBe((2, 1, 1));
    }
}
