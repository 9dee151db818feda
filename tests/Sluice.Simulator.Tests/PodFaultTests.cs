using Sluice.Simulator;

namespace Sluice.Simulator.Tests;

public sealed class PodFaultTests
{
    [Fact]
    public void Parse_List_ReadsEveryEntry()
    {
        var fault = PodFault.Parse("slow-start=10s, fail-after=30s,never-ready,crash-loop");
        fault.SlowStart.ShouldBe(TimeSpan.FromSeconds(10));
        fault.FailAfter.ShouldBe(TimeSpan.FromSeconds(30));
        fault.NeverReady.ShouldBeTrue();
        fault.CrashLoop.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bogus")]
    [InlineData("fail-after=soon")]
    public void Parse_NothingKnown_HasNoFault(string? text)
    {
        var fault = PodFault.Parse(text);
        (fault.NeverReady || fault.CrashLoop || fault.FailAfter is not null || fault.SlowStart > TimeSpan.Zero).ShouldBeFalse();
    }
}
