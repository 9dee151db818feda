using System.Text.Json.Nodes;
using Sluice.Simulator;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests;

public sealed class WorkloadSimulatorCloneSetTests
{
    private static string Api(string partition, string type = "InPlaceIfPossible") => """
        {"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"api"},
         "spec":{"replicas":10,"selector":{"matchLabels":{"app":"api"}},
          "updateStrategy":{"type":"TYPE","partition":PARTITION},
          "template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"app","image":"api:1"}]}}}}
        """.Replace("TYPE", type, StringComparison.Ordinal).Replace("PARTITION", partition, StringComparison.Ordinal);

    private static bool IsApi(JsonObject pod) => Json.Label(pod, "app") == "api";

    private static JsonObject Status(SimCluster c) => (JsonObject)c.Get(SimCluster.CloneSets, "api")["status"]!;

    private static bool Settled(SimCluster c, int updatedReady)
    {
        var cs = c.Get(SimCluster.CloneSets, "api");
        return Json.Long(cs, "status", "observedGeneration") == Json.Generation(cs)
            && Json.Int(cs, 0, "status", "readyReplicas") == 10
            && Json.Int(cs, 0, "status", "updatedReadyReplicas") == updatedReady
            && Json.Int(cs, 0, "status", "updatedReplicas") == updatedReady;
    }

    private static void SetImage(SimCluster c, string image) =>
        c.Change(SimCluster.CloneSets, "api", s => s["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image);

    [Fact]
    public async Task Reconcile_Partition7InPlaceIfPossible_UpdatesThreePodsInPlace()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.CloneSets, Api("7"));
        await SimCluster.WaitUntil(() => Settled(cluster, 10), "ten pods ready");
        var oldRevision = Json.Str(Status(cluster), "updateRevision");
        await using var history = new PodHistory(cluster.Store, IsApi);
        var before = history.Last;

        SetImage(cluster, "api:2");
        await SimCluster.WaitUntil(() => Settled(cluster, 3), "three pods updated and ready");
        await SimCluster.WaitUntil(() => cluster.Simulator.PendingWork == 0, "the simulator is idle");

        var status = Status(cluster);
        var newRevision = Json.Str(status, "updateRevision");
        newRevision.ShouldNotBe(oldRevision);
        Json.Int(status, 0, "expectedUpdatedReplicas").ShouldBe(3);
        Json.Str(status, "currentRevision").ShouldBe(oldRevision);
        history.Last.Pods.Keys.Order().ShouldBe(before.Pods.Keys.Order(), "in place: the same pods");
        history.Last.Pods.Values.Select(p => p.Uid).Order().ShouldBe(before.Pods.Values.Select(p => p.Uid).Order());
        history.Last.On(newRevision).ShouldBe(3);
        history.Snapshots.ShouldAllBe(s => s.Total == 10 && s.On(newRevision) <= 3);
        history.Snapshots.ShouldAllBe(s => s.Ready >= 8, "maxUnavailable defaults to 20% of 10");
        var updated = cluster.PodsLabelled("app=api").Where(p => Json.Label(p, "controller-revision-hash") == newRevision).ToList();
        updated.ShouldAllBe(p => Pods.Restarts(p) == 1, "the container restarted with the new image");
        updated.ShouldAllBe(p => ((JsonArray)p["spec"]!["containers"]!)[0]!["image"]!.GetValue<string>() == "api:2");
    }

    [Fact]
    public async Task Reconcile_Paused_FreezesUntilUnpaused()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.CloneSets, Api("7"));
        await SimCluster.WaitUntil(() => Settled(cluster, 10), "ten pods ready");
        SetImage(cluster, "api:2");
        await SimCluster.WaitUntil(() => Settled(cluster, 3), "three pods updated");
        await using var history = new PodHistory(cluster.Store, IsApi);

        var paused = cluster.Change(SimCluster.CloneSets, "api", s =>
        {
            s["spec"]!["updateStrategy"]!["paused"] = true;
            s["spec"]!["updateStrategy"]!["partition"] = 0;
        });
        await SimCluster.WaitUntil(() => Json.Long(Status(cluster), "observedGeneration") == Json.Generation(paused), "the pause is seen");
        await SimCluster.WaitUntil(() => cluster.Simulator.PendingWork == 0, "the simulator is idle");

        var newRevision = Json.Str(Status(cluster), "updateRevision");
        history.Snapshots.ShouldAllBe(s => s.On(newRevision) == 3 && s.Ready == 10);
        Json.Int(Status(cluster), 0, "expectedUpdatedReplicas").ShouldBe(10);

        cluster.Change(SimCluster.CloneSets, "api", s => s["spec"]!["updateStrategy"]!["paused"] = false);
        await SimCluster.WaitUntil(() => Settled(cluster, 10), "all pods updated");
        Json.Str(Status(cluster), "currentRevision").ShouldBe(newRevision);
        history.Snapshots.ShouldAllBe(s => s.Total == 10 && s.Ready >= 8);
    }

    [Fact]
    public async Task Reconcile_Partition30Percent_KeepsThreePodsLikePartition3()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.CloneSets, Api("\"30%\""));
        await SimCluster.WaitUntil(() => Settled(cluster, 10), "ten pods ready");
        await using var history = new PodHistory(cluster.Store, IsApi);

        SetImage(cluster, "api:2");
        await SimCluster.WaitUntil(() => Settled(cluster, 7), "seven pods updated");
        await SimCluster.WaitUntil(() => cluster.Simulator.PendingWork == 0, "the simulator is idle");

        var status = Status(cluster);
        Json.Int(status, 0, "expectedUpdatedReplicas").ShouldBe(7);
        var newRevision = Json.Str(status, "updateRevision");
        history.Snapshots.ShouldAllBe(s => s.On(newRevision) <= 7 && s.Total == 10 && s.Ready >= 8);
        history.Last.On(newRevision).ShouldBe(7);
    }

    [Fact]
    public async Task Reconcile_ReCreate_ReplacesPodsWithNewNames()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.CloneSets, Api("5", "ReCreate"));
        await SimCluster.WaitUntil(() => Settled(cluster, 10), "ten pods ready");
        await using var history = new PodHistory(cluster.Store, IsApi);
        var before = history.Last;

        SetImage(cluster, "api:2");
        await SimCluster.WaitUntil(() => Settled(cluster, 5), "five pods recreated");

        var newRevision = Json.Str(Status(cluster), "updateRevision");
        var renamed = history.Last.Pods.Where(p => p.Value.Revision == newRevision).Select(p => p.Key).ToList();
        renamed.Count.ShouldBe(5);
        renamed.ShouldAllBe(n => !before.Pods.ContainsKey(n));
        history.Snapshots.ShouldAllBe(s => s.Ready >= 8 && s.Total <= 10);
    }
}
