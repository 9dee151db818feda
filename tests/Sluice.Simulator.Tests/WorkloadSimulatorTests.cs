using Sluice.ControlPlane.Resources;
using Sluice.Simulator;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests;

public sealed class WorkloadSimulatorTests
{
    private static readonly GroupResource Nodes = new("", "nodes");

    [Fact]
    public async Task StartAsync_FourNodes_CreatesReadyNodesSimNode0To3()
    {
        await using var cluster = await SimCluster.StartAsync(nodes: 4);

        var nodes = cluster.Store.List(Nodes, null).Items;
        nodes.Select(Json.Name).Order().ShouldBe(["sim-node-0", "sim-node-1", "sim-node-2", "sim-node-3"]);
        nodes.ShouldAllBe(n => Json.Str(Conditions.Find(n["status"], "Ready"), "status") == "True");
        cluster.Simulator.Options.Nodes.ShouldBe(4);
    }

    [Fact]
    public async Task StartAsync_BadOptions_Throws()
    {
        await using var cluster = await SimCluster.StartAsync();
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() =>
            WorkloadSimulator.StartAsync(cluster.Store, new SimulatorOptions(Workers: 0), TimeProvider.System));
    }

    [Fact]
    public async Task Reconcile_DeploymentDeleted_GarbageCollectorRemovesReplicaSetsAndPodsForGood()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.Deployments, """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"gone"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"gone"}},
              "template":{"metadata":{"labels":{"app":"gone"}},"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}}}
            """);
        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=gone").Count(Pods.IsReady) == 3, "three pods ready");

        cluster.Store.Delete(SimCluster.Deployments, "default", "gone");

        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=gone").Count == 0
            && cluster.Store.List(SimCluster.ReplicaSets, "default").Items.Count == 0, "everything is gone");
        await SimCluster.WaitUntil(() => cluster.Simulator.PendingWork == 0, "the simulator is idle");
        cluster.PodsLabelled("app=gone").ShouldBeEmpty("nothing recreates pods of a deleted owner");
    }

    [Fact]
    public async Task Restart_SimulatorStartedAgain_AdoptsTheClusterWithoutDuplicates()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.StatefulSets, """
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"kv"},
             "spec":{"replicas":3,"podManagementPolicy":"Parallel","selector":{"matchLabels":{"app":"kv"}},
              "template":{"metadata":{"labels":{"app":"kv"}},"spec":{"containers":[{"name":"kv","image":"kv:1"}]}}}}
            """);
        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=kv").Count(Pods.IsReady) == 3, "three pods ready");
        var before = cluster.PodsLabelled("app=kv").Select(Json.Uid).Order().ToList();
        await cluster.Simulator.DisposeAsync();

        await using var again = await WorkloadSimulator.StartAsync(cluster.Store, new SimulatorOptions(), TimeProvider.System);
        cluster.Change(SimCluster.StatefulSets, "kv", s => s["spec"]!["replicas"] = 4);

        await SimCluster.WaitUntil(() => cluster.PodsLabelled("app=kv").Count(Pods.IsReady) == 4
            && Json.Int(cluster.Get(SimCluster.StatefulSets, "kv"), -1, "status", "readyReplicas") == 4, "four pods ready");
        var after = cluster.PodsLabelled("app=kv");
        after.Select(Json.Name).Order().ShouldBe(["kv-0", "kv-1", "kv-2", "kv-3"]);
        after.Select(Json.Uid).Where(before.Contains).Count().ShouldBe(3);
    }
}
