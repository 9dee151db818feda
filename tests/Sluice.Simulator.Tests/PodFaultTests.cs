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

    [Fact]
    public void Parse_RequestFaults_CombineWithTheKubeletOnes()
    {
        var fault = PodFault.Parse("error-rate=20%, latency=300ms, slow-start=1s");

        fault.ErrorRate.ShouldBe(20);
        fault.Latency.ShouldBe(TimeSpan.FromMilliseconds(300));
        fault.SlowStart.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("error-rate=0.5%", 0.5)]
    [InlineData("error-rate=100%", 100)]
    [InlineData("error-rate=101%", 0)]
    [InlineData("error-rate=20", 0)]
    [InlineData("error-rate=-1%", 0)]
    public void Parse_ErrorRate_IsAPercentFrom0To100(string text, double rate) =>
        PodFault.Parse(text).ErrorRate.ShouldBe(rate);
}
