using Sluice.Core.Plans;

namespace Sluice.Core.Tests.Plans;

public class PauseDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("1m30s500ms", 90_500)]
    [InlineData("0s", 0)]
    public void TryParse_GoDuration_ReadsIt(string text, long milliseconds)
    {
        PauseDuration.TryParse(text, out var duration).ShouldBeTrue();
        duration.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 m")]
    [InlineData("-1s")]
    [InlineData("5d")]
    [InlineData("m")]
    [InlineData("1..5s")]
    [InlineData("9000h")]
    public void TryParse_Malformed_IsRefused(string? text) => PauseDuration.TryParse(text, out _).ShouldBeFalse();
}
