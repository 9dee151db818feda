using Sluice.Core.Api;
using Sluice.Dashboard.Panels;

namespace Sluice.Dashboard.Tests.Panels;

public class SuccessRangeTests
{
    [Theory]
    [InlineData("result >= 99", 99.0, null, "≥ 99")]
    [InlineData("result > 0.5 && result < 2", 0.5, 2.0, "0.5 to 2")]
    [InlineData("result <= 500", null, 500.0, "≤ 500")]
    [InlineData("(result >= 1e2)", 100.0, null, "≥ 100")]
    public void Parse_ComparisonsOfTheResult_GiveTheirRange(string condition, double? min, double? max, string words)
    {
        var range = SuccessRange.Parse(condition)!;
        range.Min.ShouldBe(min);
        range.Max.ShouldBe(max);
        range.ToString().ShouldBe(words);
    }

    [Theory]
    [InlineData("size(result) == 0 || result[0] < 500.0")]
    [InlineData("result >= 99 || result == 0")]
    [InlineData("result == 1")]
    public void Parse_AnyOtherCondition_GivesNoRange(string condition) =>
        SuccessRange.Parse(condition).ShouldBeNull();

    [Fact]
    public void Of_MetricsRange_WinsOverTheCondition_AndAJudgeHasNone()
    {
        var ranged = new CanaryMetric { Name = "m", SuccessCondition = "result >= 1", MetricsRange = new MetricsRange { Min = NumberOrString.FromString("99.5") } };
        SuccessRange.Of(ranged).ShouldBe(new SuccessRange(99.5, null));
        SuccessRange.Of(ranged with { Judge = new MetricJudge() }).ShouldBeNull();
        SuccessRange.Of(new CanaryMetric { Name = "m" }).ShouldBeNull();
    }

    [Fact]
    public void Contains_EdgesIncluded() =>
        new SuccessRange(1, 2).Contains(2).ShouldBeTrue();
}
