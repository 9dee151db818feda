using Sluice.Cli.Output;
using Sluice.Controllers.Operations;
using Sluice.Core.Operations;
using Sluice.Cli.Tests.Support;
using Sluice.Core.Api;

namespace Sluice.Cli.Tests.Output;

public class RolloutViewGoldenTests
{
    private static RolloutSnapshot Parked(string? failingPod = null) => new(
        SluiceJson.Deserialize<AppRollout>(Samples.RolloutParked()),
        ["stefanprodan/podinfo:4.0.6"],
        ["stefanprodan/podinfo:5.0.2"],
        [
            new WatchedWorkload("CloneSet", "web", "shop-v2", 5, 5, 5,
            [
                new("web-2fj8k", "shop-v2", "stefanprodan/podinfo:5.0.2", PodHealth.Ready, "Running"),
                new("web-7hx2p", "shop-v1", "stefanprodan/podinfo:4.0.6", PodHealth.Ready, "Running"),
                new("web-9qd4m", "shop-v2", "stefanprodan/podinfo:5.0.2", PodHealth.Ready, "Running"),
                new("web-kx81z", "shop-v1", "stefanprodan/podinfo:4.0.6", PodHealth.Ready, "Running"),
                new("web-t5n6w", "shop-v2", "stefanprodan/podinfo:5.0.2", failingPod is null ? PodHealth.Ready : PodHealth.Failed, failingPod ?? "Running"),
            ]),
        ],
        Samples.Now);

    [Fact]
    public void Render_ParkedAtPartitionWidth80_MatchesGolden()
    {
        var frame = RolloutView.Render(Parked(), 80);

        Golden.ShouldMatch(frame, "watch-parked-80.txt");
    }

    [Fact]
    public void Render_NarrowWidth_NoLineIsWiderThanIt()
    {
        var frame = RolloutView.Render(Parked(), 50);

        frame.Split('\n').ShouldAllBe(line => line.Length <= 50);
        frame.ShouldContain("Batch 3/3");
    }

    [Fact]
    public void Render_FailedPod_ShowsTheFailedIcon()
    {
        var frame = RolloutView.Render(Parked("CrashLoopBackOff"), 100);

        frame.ShouldContain($"web-t5n6w                        {RolloutView.FailedIcon} CrashLoopBackOff");
    }
}
