using System.Text.Json.Nodes;
using Sluice.Simulator;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests;

public sealed class WorkloadSimulatorStatefulSetTests
{
    private const string Db = """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},
         "spec":{"replicas":10,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
          "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":7}},
          "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres:16"}]}}}}
        """;

    private static bool IsDb(JsonObject pod) => Json.Label(pod, "app") == "db";

    private static JsonObject Status(SimCluster c) => (JsonObject)c.Get(SimCluster.StatefulSets, "db")["status"]!;

    private static bool Settled(SimCluster c, int updated)
    {
        var sts = c.Get(SimCluster.StatefulSets, "db");
        return Json.Long(sts, "status", "observedGeneration") == Json.Generation(sts)
            && Json.Int(sts, 0, "status", "readyReplicas") == 10
            && Json.Int(sts, 0, "status", "replicas") == 10
            && Json.Int(sts, 0, "status", "updatedReplicas") == updated;
    }

    [Fact]
    public async Task Reconcile_OrderedReadyCreation_StartsOrdinalsOneAtATimeInOrder()
    {
        await using var cluster = await SimCluster.StartAsync();
        await using var history = new PodHistory(cluster.Store, IsDb);
        cluster.Apply(SimCluster.StatefulSets, Db);

        await SimCluster.WaitUntil(() => Settled(cluster, 10), "all ten pods run");

        var names = cluster.PodsLabelled("app=db").Select(Json.Name).Order().ToList();
        names.ShouldBe(Enumerable.Range(0, 10).Select(i => $"db-{i}").Order().ToList());
        foreach (var s in history.Snapshots)
        {
            // Ordinal n exists only when 0..n-1 exist and are ready; at most one pod is not ready.
            var present = s.Pods.Keys.Select(n => int.Parse(n[3..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
            present.ShouldBe(Enumerable.Range(0, present.Count).ToList());
            s.Pods.Values.Count(p => !p.Ready).ShouldBeLessThanOrEqualTo(1);
        }
        var status = Status(cluster);
        Json.Str(status, "currentRevision").ShouldBe(Json.Str(status, "updateRevision"));
        cluster.Store.List(SimCluster.Revisions, "default").Items.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Reconcile_Partition7_UpdatesOnlyTopThreeHighestFirstThenTheRestAtPartition0()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.StatefulSets, Db);
        await SimCluster.WaitUntil(() => Settled(cluster, 10), "all ten pods run");
        var oldRevision = Json.Str(Status(cluster), "currentRevision");
        await using var history = new PodHistory(cluster.Store, IsDb);
        var before = history.Last;

        cluster.Change(SimCluster.StatefulSets, "db", s => s["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "postgres:17");
        await SimCluster.WaitUntil(() => Settled(cluster, 3), "three pods updated");
        await SimCluster.WaitUntil(() => cluster.Simulator.PendingWork == 0, "the simulator is idle");

        var status = Status(cluster);
        var newRevision = Json.Str(status, "updateRevision");
        newRevision.ShouldNotBe(oldRevision);
        Json.Str(status, "currentRevision").ShouldBe(oldRevision);
        Json.Int(status, 0, "currentReplicas").ShouldBe(7);
        var snapshots = history.Snapshots;
        snapshots.ShouldAllBe(s => s.On(newRevision) <= 3);
        snapshots.ShouldAllBe(s => s.Total >= 9, "one pod at a time");
        snapshots.ShouldAllBe(s => s.Pods.Values.Count(p => !p.Ready) + (10 - s.Total) <= 1, "one pod at a time");
        for (var i = 0; i < 7; i++)
        {
            history.Last.Pods[$"db-{i}"].ShouldBe(before.Pods[$"db-{i}"], $"db-{i} is below the partition");
        }
        OrderUpdated(snapshots, newRevision).ShouldBe(["db-9", "db-8", "db-7"]);

        cluster.Change(SimCluster.StatefulSets, "db", s => s["spec"]!["updateStrategy"]!["rollingUpdate"]!["partition"] = 0);
        await SimCluster.WaitUntil(() => Settled(cluster, 10), "all pods updated");

        OrderUpdated(history.Snapshots, newRevision).ShouldBe(Enumerable.Range(0, 10).Reverse().Select(i => $"db-{i}").ToList());
        history.Snapshots.ShouldAllBe(s => s.Pods.Values.Count(p => !p.Ready) + (10 - s.Total) <= 1);
        status = Status(cluster);
        Json.Str(status, "currentRevision").ShouldBe(newRevision);
        Json.Int(status, 0, "currentReplicas").ShouldBe(10);
    }

    [Fact]
    public async Task Reconcile_OnDelete_ReplacesOnlyDeletedPods()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.StatefulSets, Db.Replace("\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":7}", "\"type\":\"OnDelete\"",
            StringComparison.Ordinal));
        await SimCluster.WaitUntil(() => Settled(cluster, 10), "all ten pods run");
        cluster.Change(SimCluster.StatefulSets, "db", s => s["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "postgres:17");
        await SimCluster.WaitUntil(() => Json.Long(Status(cluster), "observedGeneration") == 2 && Settled(cluster, 0), "the new revision is seen");
        await SimCluster.WaitUntil(() => cluster.Simulator.PendingWork == 0, "the simulator is idle");

        cluster.Store.Delete(SimCluster.Pods, "default", "db-4");

        await SimCluster.WaitUntil(() => Settled(cluster, 1), "db-4 is back on the new revision");
        var updated = cluster.PodsLabelled("app=db").Where(p => Json.Label(p, "controller-revision-hash") == Json.Str(Status(cluster), "updateRevision"));
        updated.Select(Json.Name).ShouldBe(["db-4"]);
    }

    /// <summary>The pods in the order they first appear on <paramref name="revision"/>.</summary>
    private static List<string> OrderUpdated(IReadOnlyList<PodSnapshot> snapshots, string revision)
    {
        var order = new List<string>();
        foreach (var s in snapshots)
        {
            foreach (var (name, pod) in s.Pods)
            {
                if (pod.Revision == revision && !order.Contains(name))
                {
                    order.Add(name);
                }
            }
        }
        return order;
    }
}
