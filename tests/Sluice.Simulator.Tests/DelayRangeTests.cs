using Sluice.Simulator;

namespace Sluice.Simulator.Tests;

public sealed class DelayRangeTests
{
    [Theory]
    [InlineData("200ms..1s", 200, 1000)]
    [InlineData("1s..1s", 1000, 1000)]
    [InlineData("500ms", 500, 500)]
    [InlineData(" 0ms .. 2m ", 0, 120_000)]
    [InlineData("1.5s..2s", 1500, 2000)]
    public void Parse_ValidText_GivesBounds(string text, int minMs, int maxMs)
    {
        var range = DelayRange.Parse(text);
        range.Min.ShouldBe(TimeSpan.FromMilliseconds(minMs));
        range.Max.ShouldBe(TimeSpan.FromMilliseconds(maxMs));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("1s..200ms")]
    [InlineData("1s..2s..3s")]
    [InlineData("-1s")]
    [InlineData("10")]
    public void Parse_InvalidText_Throws(string text) => Should.Throw<FormatException>(() => DelayRange.Parse(text));

    [Fact]
    public void Pick_ManyKeys_StayInRangeAndSpread()
    {
        var range = DelayRange.Parse("200ms..1s");
        var picks = Enumerable.Range(0, 200).Select(i => range.Pick($"uid-{i}")).ToList();
        picks.ShouldAllBe(p => p >= range.Min && p <= range.Max);
        picks.Distinct().Count().ShouldBeGreaterThan(50);
        range.Pick("uid-1").ShouldBe(range.Pick("uid-1"));
    }
}
