using Sluice.Cli.Commands.Demo;

namespace Sluice.Cli.Tests.Commands.Demo;

public class RecoveryTimelineTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Recovery_TrafficBackSeen_IsFromTheFirstBatch()
    {
        var timeline = new RecoveryTimeline { FirstBatch = S(30), TrafficOn = S(30.4), AnalysisFailed = S(32.9), TrafficBack = S(33), PodsBack = S(34.2) };

        timeline.Recovery.ShouldBe(S(3));
        timeline.Describe("v5", "v4").ShouldBe(
        [
            "traffic back on v4 3.0s after v5's first batch began; traffic went back 1.2s before the pods did",
            "  first batch began +0.0s, requests on v5 +0.4s, analysis failed +2.9s, traffic back on v4 +3.0s, pods back on v4 +4.2s",
        ]);
    }

    [Fact]
    public void Describe_TrafficNotBackYet_SaysNothing()
    {
        var timeline = new RecoveryTimeline { FirstBatch = S(30), TrafficOn = S(30.4) };

        timeline.Recovery.ShouldBeNull();
        timeline.Describe("v5", "v4").ShouldBeEmpty();
    }

    [Fact]
    public void Describe_PodsSeenBackInTheSameUpdate_ClaimsNoOrder()
    {
        var timeline = new RecoveryTimeline { FirstBatch = S(1), TrafficOn = S(2), TrafficBack = S(4), PodsBack = S(4) };

        timeline.Describe("v5", "v4")[0].ShouldEndWith("traffic and pods were seen back in the same update");
    }
}
