using System.Text.Json.Nodes;
using Sluice.Simulator;

namespace Sluice.Simulator.Tests;

public sealed class KubeletTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(4);

    private static JsonObject Pod(string? fault = null, string image = "nginx:1")
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web-1", ["uid"] = "u1", ["annotations"] = new JsonObject() },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "sim-node-1",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image }),
            },
        };
        if (fault is not null)
        {
            pod["metadata"]!["annotations"]![PodFault.Annotation] = fault;
        }
        return pod;
    }

    /// <summary>Runs the kubelet at <paramref name="at"/>, writing its status into the pod as the store would.</summary>
    private static KubeletStep Run(JsonObject pod, DateTimeOffset at)
    {
        var step = Kubelet.Step(pod, at, Delay);
        if (step.Status is not null)
        {
            pod["status"] = step.Status;
        }
        return step;
    }

    private static string Phase(JsonObject pod) => Json.Str(pod, "status", "phase");

    private static JsonObject Container(JsonObject pod) => (JsonObject)pod["status"]!["containerStatuses"]![0]!;

    [Fact]
    public void Step_PodFirstSeenMidSecond_IsReadyExactlyItsDelayLater()
    {
        var pod = Pod();
        var seen = T0.AddMilliseconds(700);

        Run(pod, seen);
        Run(pod, seen + Delay / 4);
        Run(pod, seen + Delay - TimeSpan.FromMilliseconds(100));
        Pods.IsReady(pod).ShouldBeFalse("ready 100 ms before its delay: the start time lost its fraction of a second");
        Run(pod, seen + Delay);

        Pods.IsReady(pod).ShouldBeTrue();
        Json.Str(pod, "status", "startTime").ShouldBe("2026-01-01T00:00:00.7Z");
    }

    [Fact]
    public void Step_HealthyPod_MovesPendingRunningReady()
    {
        var pod = Pod();
        var first = Run(pod, T0);
        Phase(pod).ShouldBe("Pending");
        Json.Str(Container(pod), "state", "waiting", "reason").ShouldBe("ContainerCreating");
        first.WakeAt.ShouldBe(T0 + TimeSpan.FromSeconds(1));

        var second = Run(pod, T0 + TimeSpan.FromSeconds(1));
        Phase(pod).ShouldBe("Running");
        Pods.IsReady(pod).ShouldBeFalse();
        second.WakeAt.ShouldBe(T0 + Delay);

        Run(pod, T0 + Delay);
        Pods.IsReady(pod).ShouldBeTrue();
        Json.Bool(Container(pod), "ready").ShouldBeTrue();
        Run(pod, T0 + Delay + TimeSpan.FromSeconds(5)).Status.ShouldBeNull();
    }

    [Fact]
    public void Step_Unscheduled_DoesNothing()
    {
        var pod = Pod();
        ((JsonObject)pod["spec"]!).Remove("nodeName");
        Kubelet.Step(pod, T0, Delay).ShouldBe(new KubeletStep(null, null));
    }

    [Fact]
    public void Step_NeverReady_StaysRunningUnreadyWithReason()
    {
        var pod = Pod("never-ready");
        foreach (var s in new[] { 0, 1, 4, 60, 600 })
        {
            Run(pod, T0 + TimeSpan.FromSeconds(s));
        }
        Phase(pod).ShouldBe("Running");
        Pods.IsReady(pod).ShouldBeFalse();
        var ready = Conditions.Find(pod["status"], "Ready")!;
        Json.Str(ready, "reason").ShouldBe("ContainersNotReady");
        Json.Str(ready, "message").ShouldContain("never-ready");
    }

    [Fact]
    public void Step_CrashLoop_RestartCountGrowsWithBackOff()
    {
        var pod = Pod("crash-loop");
        var restarts = new List<int>();
        var backOffs = 0;
        var at = T0;
        for (var i = 0; i < 40; i++)
        {
            var step = Run(pod, at);
            restarts.Add(Json.Int(Container(pod), 0, "restartCount"));
            backOffs += Json.Str(Container(pod), "state", "waiting", "reason") == "CrashLoopBackOff" ? 1 : 0;
            Pods.IsReady(pod).ShouldBeFalse();
            at = step.WakeAt ?? at + TimeSpan.FromSeconds(1);
        }
        backOffs.ShouldBeGreaterThan(10);
        Json.Int(Container(pod), 0, "lastState", "terminated", "exitCode").ShouldBe(1);
        restarts.ShouldBe(restarts.Order().ToList());
        restarts[^1].ShouldBeGreaterThanOrEqualTo(10);
        (at - T0).ShouldBeGreaterThan(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Step_FailAfter_ReadyThenUnready()
    {
        var pod = Pod("fail-after=30s");
        Run(pod, T0);
        Run(pod, T0 + TimeSpan.FromSeconds(1));
        var ready = Run(pod, T0 + Delay);
        Pods.IsReady(pod).ShouldBeTrue();
        ready.WakeAt.ShouldBe(T0 + Delay + TimeSpan.FromSeconds(30));
        Run(pod, T0 + Delay + TimeSpan.FromSeconds(30));
        Pods.IsReady(pod).ShouldBeFalse();
        Json.Str(Conditions.Find(pod["status"], "Ready"), "message").ShouldContain("fail-after=30s");
    }

    [Fact]
    public void Step_SlowStart_DelaysReadiness()
    {
        var pod = Pod("slow-start=10s");
        Run(pod, T0);
        Run(pod, T0 + TimeSpan.FromSeconds(1));
        Run(pod, T0 + Delay);
        Pods.IsReady(pod).ShouldBeFalse();
        Run(pod, T0 + Delay + TimeSpan.FromSeconds(10));
        Pods.IsReady(pod).ShouldBeTrue();
    }

    [Fact]
    public void Step_ImageChangedInPlace_RestartsContainerAndReadiesAgain()
    {
        var pod = Pod();
        Run(pod, T0);
        Run(pod, T0 + TimeSpan.FromSeconds(1));
        Run(pod, T0 + Delay);
        pod["spec"]!["containers"]![0]!["image"] = "nginx:2";
        var at = T0 + TimeSpan.FromSeconds(100);
        var restart = Run(pod, at);
        Pods.IsReady(pod).ShouldBeFalse();
        Json.Int(Container(pod), 0, "restartCount").ShouldBe(1);
        Json.Str(Container(pod), "image").ShouldBe("nginx:2");
        restart.WakeAt.ShouldBe(at + TimeSpan.FromSeconds(3));
        Run(pod, at + TimeSpan.FromSeconds(3));
        Pods.IsReady(pod).ShouldBeTrue();
    }

    [Fact]
    public void Step_ReadinessGateOpen_PodNotReadyThoughContainersAre()
    {
        var pod = Pod();
        pod["spec"]!["readinessGates"] = new JsonArray(new JsonObject { ["conditionType"] = "example.com/gate" });
        Run(pod, T0);
        Run(pod, T0 + Delay);
        Pods.IsReady(pod).ShouldBeFalse();
        Json.Str(Conditions.Find(pod["status"], "ContainersReady"), "status").ShouldBe("True");
        Json.Str(Conditions.Find(pod["status"], "Ready"), "reason").ShouldBe("ReadinessGatesNotReady");
    }
}
