using Sluice.Core.Plans;

namespace Sluice.Core.Tests.Plans;

public class TrafficPercentTests
{
    [Theory]
    [InlineData("0%", 0)]
    [InlineData("10%", 10)]
    [InlineData("100%", 100)]
    [InlineData("007%", 7)]
    public void TryParse_WholePercent_ReadsIt(string text, int expected)
    {
        TrafficPercent.TryParse(text, out var percent).ShouldBeTrue();
        percent.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("%")]
    [InlineData("10")]
    [InlineData("10.5%")]
    [InlineData("-1%")]
    [InlineData("101%")]
    [InlineData(" 10%")]
    [InlineData("1000%")]
    [InlineData("ten%")]
    public void TryParse_Malformed_IsRefused(string? text) => TrafficPercent.TryParse(text, out _).ShouldBeFalse();
}
