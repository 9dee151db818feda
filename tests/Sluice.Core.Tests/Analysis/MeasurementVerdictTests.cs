using System.Text.Json.Nodes;
using Sluice.Core.Analysis;
using Sluice.Core.Api;
using static Sluice.Core.Api.AnalysisPhase;
using static Sluice.Core.Tests.Analysis.Metrics;

namespace Sluice.Core.Tests.Analysis;

public class MeasurementVerdictTests
{
    private static readonly Comparisons Conditions = new();

    [Theory]
    [InlineData("result >= 99", null, 99.5, Successful)]
    [InlineData("result >= 99", null, 80, Failed)]
    [InlineData(null, "result < 90", 80, Failed)]
    [InlineData(null, "result < 90", 95, Successful)]
    [InlineData("result >= 99", "result < 90", 95, Inconclusive)]
    [InlineData("result >= 99", "result < 90", 99.5, Successful)]
    [InlineData("result >= 50", "result < 90", 80, Failed)]
    public void Decide_Conditions_GiveThePhase(string? success, string? failure, double value, AnalysisPhase expected)
    {
        var metric = Prometheus() with { SuccessCondition = success, FailureCondition = failure };

        MeasurementVerdict.Decide(metric, JsonValue.Create(value), Conditions).Phase.ShouldBe(expected);
    }

    [Theory]
    [InlineData(99.0, Successful)]
    [InlineData(98.9, Failed)]
    [InlineData(100.1, Failed)]
    public void Decide_MetricsRange_IsASuccessCondition(double value, AnalysisPhase expected)
    {
        var metric = Prometheus() with { SuccessCondition = null, MetricsRange = new MetricsRange { Min = NumberOrString.FromNumber(99), Max = NumberOrString.FromString("100") } };

        MeasurementVerdict.Decide(metric, JsonValue.Create(value), Conditions).Phase.ShouldBe(expected);
    }

    [Fact]
    public void Decide_MetricsRangeOverAList_IsAnErrorNotAFailure()
    {
        var metric = Prometheus() with { SuccessCondition = null, MetricsRange = new MetricsRange { Min = NumberOrString.FromNumber(1) } };

        var (phase, message) = MeasurementVerdict.Decide(metric, new JsonArray(1, 2), Conditions);

        phase.ShouldBe(Error);
        message.ShouldContain("metricsRange needs a single number, the value is [1,2]");
    }

    [Fact]
    public void Decide_ConditionThatCannotBeEvaluated_IsAnError() =>
        MeasurementVerdict.Decide(Prometheus(), new JsonObject(), Conditions).Phase.ShouldBe(Error);

    [Fact]
    public void Decide_Failed_SaysTheValueAndTheCondition() =>
        MeasurementVerdict.Decide(Prometheus(), JsonValue.Create(20.25), Conditions).Message.ShouldBe("20.25: success condition `result < 5` is false");
}
