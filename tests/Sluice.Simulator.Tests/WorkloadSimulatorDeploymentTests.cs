using System.Text.Json.Nodes;
using Sluice.Simulator;
using Sluice.Simulator.Tests.Support;

namespace Sluice.Simulator.Tests;

public sealed class WorkloadSimulatorDeploymentTests
{
    private const string Web = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":10,"selector":{"matchLabels":{"app":"web"}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}}}
        """;

    private static bool IsWeb(JsonObject pod) => Json.Label(pod, "app") == "web";

    private static string Reason(JsonObject d, string type) =>
        Json.Str(Conditions.Find(d["status"], type), "reason");

    private static bool Complete(SimCluster c, int replicas)
    {
        var d = c.Get(SimCluster.Deployments, "web");
        return Json.Long(d, "status", "observedGeneration") == Json.Generation(d)
            && Json.Int(d, 0, "status", "updatedReplicas") == replicas
            && Json.Int(d, 0, "status", "availableReplicas") == replicas
            && Json.Int(d, 0, "status", "replicas") == replicas
            && Reason(d, "Progressing") == "NewReplicaSetAvailable";
    }

    [Fact]
    public async Task StartAsync_DeploymentCreated_RunsTenReadyPodsOfOneReplicaSet()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.Deployments, Web);

        await SimCluster.WaitUntil(() => Complete(cluster, 10), "the deployment is complete");

        var pods = cluster.PodsLabelled("app=web");
        pods.Count.ShouldBe(10);
        pods.Select(p => Json.Label(p, "pod-template-hash")).Distinct().Count().ShouldBe(1);
        pods.ShouldAllBe(p => Json.ControllerRef(p)!.Value.Kind == "ReplicaSet");
        pods.Select(p => Json.Str(p, "spec", "nodeName")).Distinct().Count().ShouldBe(3);
        var d = cluster.Get(SimCluster.Deployments, "web");
        Reason(d, "Available").ShouldBe("MinimumReplicasAvailable");
        Json.Annotation(d, "deployment.kubernetes.io/revision").ShouldBe("1");
        var rs = cluster.Store.List(SimCluster.ReplicaSets, "default").Items.ShouldHaveSingleItem();
        Json.Int(rs, 0, "status", "readyReplicas").ShouldBe(10);
        Json.Name(rs).ShouldBe($"web-{Json.Label(pods[0], "pod-template-hash")}");
    }

    [Fact]
    public async Task Reconcile_ImageChangeWithSurgeAndUnavailable25Percent_StaysWithin13PodsAnd8Available()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.Deployments, Web);
        await SimCluster.WaitUntil(() => Complete(cluster, 10), "the first revision is complete");
        var oldHash = Json.Label(cluster.PodsLabelled("app=web")[0], "pod-template-hash");
        await using var history = new PodHistory(cluster.Store, IsWeb);

        cluster.Change(SimCluster.Deployments, "web", d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2");
        await SimCluster.WaitUntil(() => Complete(cluster, 10) && history.Last.Ready == 10 && history.Last.Total == 10,
            "the second revision is complete");
        await SimCluster.WaitUntil(() => history.Removals.Count == 10, "every old pod has terminated and gone");

        var snapshots = history.Snapshots;
        snapshots.Count.ShouldBeGreaterThan(20);
        snapshots.ShouldAllBe(s => s.Total <= 13, "at most replicas + maxSurge (25% of 10 rounded up = 3) pods");
        snapshots.ShouldAllBe(s => s.Ready >= 8, "at least replicas - maxUnavailable (25% of 10 rounded down = 2) available");
        snapshots.Max(s => s.Total).ShouldBe(13, "the rollout uses its surge");
        var newHash = history.Last.ByRevision.Keys.ShouldHaveSingleItem();
        newHash.ShouldNotBe(oldHash);
        history.Last.On(newHash).ShouldBe(10);
        snapshots.ShouldAllBe(s => s.On(oldHash) + s.On(newHash) == s.Total);
        history.Removals.ShouldAllBe(r => r.EndedGracefully, "terminating and not ready before gone");

        var sets = cluster.Store.List(SimCluster.ReplicaSets, "default").Items;
        var old = sets.Single(rs => Json.Label(rs, "pod-template-hash") == oldHash);
        Json.Int(old, -1, "spec", "replicas").ShouldBe(0);
        Json.Int(old, -1, "status", "replicas").ShouldBe(0);
        var fresh = sets.Single(rs => Json.Label(rs, "pod-template-hash") == newHash);
        Json.Annotation(fresh, "deployment.kubernetes.io/revision").ShouldBe("2");
        var d = cluster.Get(SimCluster.Deployments, "web");
        Reason(d, "Progressing").ShouldBe("NewReplicaSetAvailable");
        Json.Str(Conditions.Find(d["status"], "Progressing"), "message").ShouldContain(Json.Name(fresh));
        Json.Annotation(d, "deployment.kubernetes.io/revision").ShouldBe("2");
    }

    [Fact]
    public async Task Reconcile_PausedDeployment_ChangesNothingUntilResumed()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.Deployments, Web);
        await SimCluster.WaitUntil(() => Complete(cluster, 10), "the first revision is complete");
        await using var history = new PodHistory(cluster.Store, IsWeb);
        var before = history.Last;

        var paused = cluster.Change(SimCluster.Deployments, "web", d =>
        {
            d["spec"]!["paused"] = true;
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2";
        });
        await SimCluster.WaitUntil(() =>
        {
            var d = cluster.Get(SimCluster.Deployments, "web");
            return Json.Long(d, "status", "observedGeneration") == Json.Generation(paused) && Reason(d, "Progressing") == "DeploymentPaused";
        }, "the controller has seen the paused deployment");
        await SimCluster.WaitUntil(() => cluster.Simulator.PendingWork == 0, "the simulator is idle");

        cluster.Store.List(SimCluster.ReplicaSets, "default").Items.Count.ShouldBe(1);
        history.Snapshots.ShouldAllBe(s => s.Total == 10 && s.ByRevision.Count == 1);
        history.Last.Pods.ShouldBe(before.Pods);

        cluster.Change(SimCluster.Deployments, "web", d => d["spec"]!["paused"] = false);
        await SimCluster.WaitUntil(() => Complete(cluster, 10) && history.Last.ByRevision.Count == 1
            && history.Last.ByRevision.Keys.Single() != before.ByRevision.Keys.Single(), "the resumed rollout completes");
        cluster.Store.List(SimCluster.ReplicaSets, "default").Items.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Reconcile_Recreate_NeverRunsBothRevisions()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.Deployments, Web.Replace(
            "\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":\"25%\"}", "\"type\":\"Recreate\"",
            StringComparison.Ordinal));
        await SimCluster.WaitUntil(() => Complete(cluster, 10), "the first revision is complete");
        await using var history = new PodHistory(cluster.Store, IsWeb);

        cluster.Change(SimCluster.Deployments, "web", d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2");
        await SimCluster.WaitUntil(() => Complete(cluster, 10) && history.Last.Ready == 10, "the second revision is complete");

        history.Snapshots.ShouldAllBe(s => s.ByRevision.Count <= 1, "old pods are gone before new ones start");
        history.Snapshots.ShouldContain(s => s.Total == 0);
        history.Snapshots.ShouldAllBe(s => s.Total <= 10);
    }

    [Fact]
    public async Task Reconcile_ScaleDown_RemovesPodsAndReportsReplicas()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Apply(SimCluster.Deployments, Web);
        await SimCluster.WaitUntil(() => Complete(cluster, 10), "the first revision is complete");

        cluster.Change(SimCluster.Deployments, "web", d => d["spec"]!["replicas"] = 4);

        await SimCluster.WaitUntil(() => Complete(cluster, 4) && cluster.PodsLabelled("app=web").Count == 4, "scaled to 4");
        var rs = cluster.Store.List(SimCluster.ReplicaSets, "default").Items.ShouldHaveSingleItem();
        Json.Annotation(rs, "deployment.kubernetes.io/desired-replicas").ShouldBe("4");
    }
}
