using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.Simulator;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests;

public sealed class WorkloadSimulatorFaultTests
{
    private static string Bad(string fault) => """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bad"},
         "spec":{"replicas":2,"progressDeadlineSeconds":2,"selector":{"matchLabels":{"app":"bad"}},
          "template":{"metadata":{"labels":{"app":"bad"},"annotations":{"sim.sluice.dev/fault":"FAULT"}},
           "spec":{"containers":[{"name":"app","image":"bad:1"}]}}}}
        """.Replace("FAULT", fault, StringComparison.Ordinal);

    private static bool IsBad(JsonObject pod) => Json.Label(pod, "app") == "bad";

    [Fact]
    public async Task Kubelet_NeverReadyTemplate_PodsRunUnreadyWithReasonAndDeploymentTimesOut()
    {
        await using var cluster = await SimCluster.StartAsync();
        await using var history = new PodHistory(cluster.Store, IsBad);
        cluster.Apply(SimCluster.Deployments, Bad("never-ready"));

        await SimCluster.WaitUntil(() =>
        {
            var d = cluster.Get(SimCluster.Deployments, "bad");
            return Json.Str(Conditions.Find(d["status"], "Progressing"), "reason") == "ProgressDeadlineExceeded";
        }, "the deployment exceeds its progress deadline", seconds: 30);

        var pods = cluster.PodsLabelled("app=bad");
        pods.Count.ShouldBe(2);
        pods.ShouldAllBe(p => Json.Str(p, "status", "phase") == "Running");
        history.Snapshots.ShouldAllBe(s => s.Ready == 0, "never ready, at no moment");
        var d = cluster.Get(SimCluster.Deployments, "bad");
        Json.Str(Conditions.Find(d["status"], "Available"), "reason").ShouldBe("MinimumReplicasUnavailable");
        Json.Str(Conditions.Find(d["status"], "Progressing"), "status").ShouldBe("False");

        var table = await new Sluice.Testing.Kubectl(cluster.Plane.KubeconfigPath).RunAsync("get", "pods", "-n", "default", "-l", "app=bad", "--no-headers");
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows.Length.ShouldBe(2);
        rows.ShouldAllBe(r => r.Contains(" 0/1 ", StringComparison.Ordinal) && r.Contains("Running", StringComparison.Ordinal));
        var message = await new Sluice.Testing.Kubectl(cluster.Plane.KubeconfigPath).RunAsync("get", "pod", Json.Name(pods[0]), "-n", "default",
            "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}");
        message.ShouldContain("never-ready");
        message.ShouldContain("containers with unready status: [app]");
    }

    [Fact]
    public async Task Kubelet_CrashLoopTemplate_RestartCountGrowsAndShowsInKubectl()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var cluster = await SimCluster.StartAsync(time);
        cluster.Apply(SimCluster.Deployments, Bad("crash-loop"));
        var samples = new List<int>();
        var waiting = new HashSet<string>();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (samples.Count == 0 || samples[^1] < 3)
        {
            timeout.IsCancellationRequested.ShouldBeFalse($"restarts stayed at {string.Join(",", samples.TakeLast(5))}");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
            var pods = cluster.PodsLabelled("app=bad");
            if (pods.Count == 2 && pods.All(p => p["status"] is not null))
            {
                samples.Add(pods.Min(Pods.Restarts));
                pods.ShouldAllBe(p => !Pods.IsReady(p));
                foreach (var p in pods)
                {
                    waiting.Add(Json.Str(p, "status", "containerStatuses", "0", "state", "waiting", "reason"));
                }
            }
        }

        samples.ShouldBe(samples.Order().ToList(), "restart counts only grow");
        waiting.ShouldContain("CrashLoopBackOff");
        var wide = await new Sluice.Testing.Kubectl(cluster.Plane.KubeconfigPath).RunAsync("get", "pods", "-n", "default", "-l", "app=bad", "--no-headers");
        wide.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ShouldAllBe(r => int.Parse(r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], System.Globalization.CultureInfo.InvariantCulture) >= 3,
                "the RESTARTS column shows the growing count");
    }
}
