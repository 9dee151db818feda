using System.Text.Json.Nodes;
using Sluice.Simulator;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests;

public sealed class WorkloadSimulatorDaemonSetTests
{
    private static string Agent(string strategy) => """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent"},
         "spec":{"selector":{"matchLabels":{"app":"agent"}},"updateStrategy":STRATEGY,
          "template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"agent","image":"agent:1"}]}}}}
        """.Replace("STRATEGY", strategy, StringComparison.Ordinal);

    private static bool IsAgent(JsonObject pod) => Json.Label(pod, "app") == "agent";

    private static JsonObject Status(SimCluster c) => (JsonObject)c.Get(SimCluster.DaemonSets, "agent")["status"]!;

    private static bool Settled(SimCluster c, int updated)
    {
        var ds = c.Get(SimCluster.DaemonSets, "agent");
        return Json.Long(ds, "status", "observedGeneration") == Json.Generation(ds)
            && Json.Int(ds, 0, "status", "desiredNumberScheduled") == 3
            && Json.Int(ds, 0, "status", "numberAvailable") == 3
            && Json.Int(ds, 0, "status", "updatedNumberScheduled") == updated
            && c.PodsLabelled("app=agent").Count == 3;
    }

    private static void SetImage(SimCluster c, string image) =>
        c.Change(SimCluster.DaemonSets, "agent", s => s["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image);

    [Fact]
    public async Task Reconcile_ThreeNodes_RunsOnePodPerNode()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.DaemonSets, Agent("""{"type":"RollingUpdate"}"""));

        await SimCluster.WaitUntil(() => Settled(cluster, 3), "a pod on every node");

        cluster.PodsLabelled("app=agent").Select(p => Json.Str(p, "spec", "nodeName")).Order()
            .ShouldBe(["sim-node-0", "sim-node-1", "sim-node-2"]);
        Json.Int(Status(cluster), -1, "numberMisscheduled").ShouldBe(0);
        Json.Int(Status(cluster), -1, "numberReady").ShouldBe(3);
    }

    [Fact]
    public async Task Reconcile_OnDelete_ReplacesOnlyDeletedPodsWithNewTemplate()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.DaemonSets, Agent("""{"type":"OnDelete"}"""));
        await SimCluster.WaitUntil(() => Settled(cluster, 3), "a pod on every node");
        await using var history = new PodHistory(cluster.Store, IsAgent);
        var before = history.Last;

        SetImage(cluster, "agent:2");
        await SimCluster.WaitUntil(() => Settled(cluster, 0), "the new template is seen");
        await SimCluster.WaitUntil(() => cluster.Simulator.PendingWork == 0, "the simulator is idle");
        history.Last.Pods.ShouldBe(before.Pods, "OnDelete leaves running pods alone");

        var victim = cluster.PodsLabelled("app=agent").Single(p => Json.Str(p, "spec", "nodeName") == "sim-node-1");
        cluster.Store.Delete(SimCluster.Pods, "default", Json.Name(victim));
        await SimCluster.WaitUntil(() => Settled(cluster, 1), "the deleted pod is replaced");

        var pods = cluster.PodsLabelled("app=agent");
        var replaced = pods.Single(p => Json.Str(p, "spec", "nodeName") == "sim-node-1");
        Json.Uid(replaced).ShouldNotBe(Json.Uid(victim));
        ((JsonArray)replaced["spec"]!["containers"]!)[0]!["image"]!.GetValue<string>().ShouldBe("agent:2");
        pods.Where(p => p != replaced).Select(Json.Uid).Order()
            .ShouldBe(before.Pods.Values.Select(p => p.Uid).Where(u => u != Json.Uid(victim)).Order());
    }

    [Fact]
    public async Task Reconcile_RollingUpdateMaxUnavailable1_UpdatesNodeByNode()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.DaemonSets, Agent("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}}"""));
        await SimCluster.WaitUntil(() => Settled(cluster, 3), "a pod on every node");
        await using var history = new PodHistory(cluster.Store, IsAgent);

        SetImage(cluster, "agent:2");
        await SimCluster.WaitUntil(() => Settled(cluster, 3) && history.Last.ByRevision.Count == 1
            && history.Last.Ready == 3, "every node runs the new template");

        var snapshots = history.Snapshots;
        snapshots.ShouldAllBe(s => s.Ready >= 2, "at most one node without an available pod");
        snapshots.ShouldAllBe(s => s.Total <= 3);
        var newRevision = history.Last.ByRevision.Keys.Single();
        var counts = snapshots.Select(s => s.ReadyOn(newRevision)).ToList();
        counts.ShouldContain(1);
        counts.ShouldContain(2);
        for (var i = 1; i < counts.Count; i++)
        {
            (counts[i] - counts[i - 1]).ShouldBeLessThanOrEqualTo(1, "one node at a time");
        }
    }
}
