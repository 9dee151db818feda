using Sluice.Core.Api;
using Sluice.Core.Engine;
using static Sluice.Core.Tests.Engine.Specs;

namespace Sluice.Core.Tests.Engine;

/// <summary>Blue/green (traffic.md): the target up beside the source, preview, one switch, the source kept, then gone.</summary>
public class RolloutEngineBlueGreenTests
{
    private static RolloutHarness BlueGreen(int? autoPromotionSeconds = null, int? scaleDownDelaySeconds = 30, bool paused = false)
    {
        var workload = new FakeWorkload(WorkloadStyle.TwoObject, 5);
        var spec = Rollout("test-rolling-v1", "test-rolling-v2", "2", "3").WithPlan(p => p with
        {
            Paused = paused ? true : null,
            BlueGreen = new BlueGreen { ActiveService = "web", AutoPromotionSeconds = autoPromotionSeconds, ScaleDownDelaySeconds = scaleDownDelaySeconds },
        });
        return new RolloutHarness(spec, workload, Upgrade(5) with { SourceTemplateHash = "hash-v1", WorkloadKind = "Deployment" })
        {
            Traffic = new FakeTraffic(workload, blueGreen: true),
        };
    }

    [Fact]
    public void Decide_BlueGreen_BringsTheTargetUpBesideTheSourceSwitchesOnceKeepsTheSourceThenScalesItDown()
    {
        var harness = BlueGreen();

        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.ScalingDownSource);
        harness.Workload.SourcePods.ShouldBe(5, "the source keeps its size for scaleDownDelaySeconds after the switch");
        harness.Workload.TargetReady.ShouldBe(5);
        harness.Workload.Applied.OfType<SetSource>().ShouldBeEmpty("the source never shrinks before the switch");

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutSucceed);
        var traffic = harness.Traffic!;
        traffic.Applied.OfType<SwitchActive>().Select(s => s.TargetHash).ShouldBe(["hash-v1", "hash-v2"], "pinned to the source first, then one switch");
        traffic.Applied.OfType<PreviewTarget>().ShouldNotBeEmpty();
        traffic.ActiveHistory.ShouldAllBe(h => h.Ready > 0, "the active Service always had ready pods");
        var switched = traffic.ActiveHistory.FindIndex(h => h.Hash == "hash-v2");
        traffic.ActiveHistory[switched].Ready.ShouldBe(5, "the switch only once every target pod is ready");
        harness.Workload.SourcePods.ShouldBe(0);
        traffic.Touched.ShouldBeFalse();
        harness.Decisions.SelectMany(d => d.Transitions).Select(t => t.Event.ToString()).ShouldContain("TargetUp");
    }

    [Fact]
    public void Decide_AutoPromotionSeconds_WaitsThatLongBeforeTheSwitch()
    {
        var harness = BlueGreen(autoPromotionSeconds: 60);

        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.Promoting);
        harness.Traffic!.ActiveHash.ShouldBe("hash-v1");
        harness.Decisions[^1].RequeueAfter.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(60));

        harness.Time.Advance(TimeSpan.FromSeconds(61));
        harness.RunToEnd();

        harness.Traffic.ActiveHash.ShouldBe("hash-v2");
    }

    [Fact]
    public void Decide_AbortedAfterTheSwitch_SwitchesBackBeforeTheTargetGoes()
    {
        var harness = BlueGreen(scaleDownDelaySeconds: 600);
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.ScalingDownSource);

        harness.AbortRequested = true;
        var abortedAt = harness.Decisions.Count;
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        var back = harness.Decisions.Skip(abortedAt).First(d => d.TrafficIntents.Contains(new SwitchActive("hash-v1")));
        back.Intents.ShouldBeEmpty();
        harness.Decisions.IndexOf(harness.Decisions.First(d => d.Intents.Any(i => i is RevertWorkload))).ShouldBeGreaterThan(harness.Decisions.IndexOf(back));
        harness.Workload.SourcePods.ShouldBe(5);
        harness.Workload.TargetPods.ShouldBe(0);
        harness.Traffic!.ActiveHistory.ShouldAllBe(h => h.Ready > 0);
    }

    [Fact]
    public void Decide_AbortedBeforeTheSwitch_NeverSendsClientsToTheTarget()
    {
        var harness = BlueGreen(autoPromotionSeconds: 600);
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.Promoting);

        harness.AbortRequested = true;
        harness.RunToEnd();

        harness.State.ShouldBe(RollingState.RolloutFailed);
        harness.Traffic!.ActiveHistory.ShouldAllBe(h => h.Hash != "hash-v2");
        harness.Workload.TargetPods.ShouldBe(0);
    }

    [Fact]
    public void Decide_PausedPlan_WaitsForResumeBeforeTheSwitch()
    {
        var harness = BlueGreen(paused: true);
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.RollingInBatches, "paused holds the batches too");

        harness.Spec = harness.Spec.WithPlan(p => p with { Paused = false });
        harness.RunToEnd();
        harness.State.ShouldBe(RollingState.ScalingDownSource);
    }
}
