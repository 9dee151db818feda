using Sluice.Core.Analysis;

namespace Sluice.Core.Tests.Analysis;

public class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    [InlineData("2d", 172_800_000)]
    public void TryParse_GoForms_GiveTheDuration(string text, double ms)
    {
        GoDuration.TryParse(text, out var duration).ShouldBeTrue();
        duration.TotalMilliseconds.ShouldBe(ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("1x")]
    [InlineData("m")]
    [InlineData("-1s")]
    [InlineData("1m 30s")]
    public void TryParse_Malformed_IsFalse(string text) => GoDuration.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(500, "500ms")]
    [InlineData(3_600_000, "1h")]
    [InlineData(0, "0s")]
    public void Format_GivesTheShortestForm(double ms, string text) => GoDuration.Format(TimeSpan.FromMilliseconds(ms)).ShouldBe(text);
}
