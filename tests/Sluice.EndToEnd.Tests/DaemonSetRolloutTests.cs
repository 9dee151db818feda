using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// The seed's walkthrough with a DaemonSet-based component (type daemon) on the simulator's 3 nodes: one pod per node,
/// upgraded in batches of nodes by deleting old pods behind OnDelete.
/// </summary>
public class DaemonSetRolloutTests
{
    private const string Component = "agent";
    private const int Nodes = 3;

    private static string Node(JsonObject pod) => pod["spec"]?["nodeName"]?.GetValue<string>() ?? "";

    [Theory]
    [InlineData("1,1,1")]
    [InlineData("1,2")]
    public async Task Upgrade_InBatchesOfNodes_ReplacesEachNodesPodOnceAndNeverMoreThanABatchAtATime(string plan)
    {
        var batches = plan.Split(',');
        var largestBatch = batches.Max(int.Parse);
        await using var cluster = await TestCluster.StartAsync();
        await using var daemonSets = cluster.Record("apps", "daemonsets");
        await using var pods = cluster.Record("", "pods");

        // Given application v1 (a daemon) brought up by an AppRollout: one batch, since a DaemonSet starts on every node at once
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "daemon", Walkthrough.V1Image));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: null, target: 1, "IncreaseFirst", "100%"));
        var first = await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));
        first["status"]!["rolloutTargetSize"]!.GetValue<int>().ShouldBe(Nodes);
        first["status"]!["upgradedReadyReplicas"]!.GetValue<int>().ShouldBe(Nodes);
        var v1Pods = pods.States[^1].Objects.Values.ToList();
        v1Pods.Select(Node).Distinct().Count().ShouldBe(Nodes);
        v1Pods.ShouldAllBe(p => PodFacts.Image(p) == Walkthrough.V1Image && PodFacts.Ready(p));
        var upgradeStartsAt = pods.States[^1].Version;

        // When application v2 changes the image and an AppRollout moves v1 to v2 in batches of nodes
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "daemon", Walkthrough.V2Image));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: 1, target: 2, "IncreaseFirst", batches));

        // Then the rollout succeeds with one ready v2 pod on each node
        var done = await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(2));
        done["status"]!["upgradedReadyReplicas"]!.GetValue<int>().ShouldBe(Nodes);
        await Sluice.Testing.Eventually.WaitUntil(
            () => pods.States[^1].Objects.Values.Count(p => PodFacts.Ready(p) && PodFacts.Image(p) == Walkthrough.V2Image) == Nodes,
            TimeSpan.FromSeconds(10), "a ready v2 pod on every node");
        var v2Pods = pods.States[^1].Objects.Values.ToList();
        v2Pods.Count.ShouldBe(Nodes);
        v2Pods.Select(Node).Distinct().Count().ShouldBe(Nodes);

        // And each node's pod was replaced exactly once: no old pod deleted beyond what the batches needed, no new pod twice
        pods.States.Where(s => s.Version >= upgradeStartsAt).SelectMany(s => s.Objects.Values).Select(PodFacts.Uid).Distinct().Count()
            .ShouldBe(2 * Nodes);

        // And at every moment: at most one pod per node, at most one batch of nodes without a ready pod, and old pods
        // deleted only as far as the new ones before them were ready (plus one batch)
        foreach (var (version, state) in pods.States.Where(s => s.Version > upgradeStartsAt))
        {
            var live = state.Values.ToList();
            live.GroupBy(Node).ShouldAllBe(g => g.Count() == 1, $"one pod per node at resourceVersion {version}");
            (Nodes - live.Where(PodFacts.Ready).Select(Node).Distinct().Count()).ShouldBeLessThanOrEqualTo(largestBatch, $"nodes without a ready pod at resourceVersion {version}");
            var replaced = Nodes - live.Count(p => PodFacts.Image(p) == Walkthrough.V1Image);
            var readyNew = live.Count(p => PodFacts.Image(p) == Walkthrough.V2Image && PodFacts.Ready(p));
            replaced.ShouldBeLessThanOrEqualTo(readyNew + largestBatch, $"old pods deleted at resourceVersion {version}");
        }

        // And the v2 pods came batch by batch: the count of v2 pods only grew, through the plan's cumulative targets
        var cumulative = batches.Select(int.Parse).Select((_, i) => batches.Take(i + 1).Sum(int.Parse)).ToList();
        var reached = pods.States.Where(s => s.Version > upgradeStartsAt)
            .Select(s => s.Objects.Values.Count(p => PodFacts.Ready(p) && PodFacts.Image(p) == Walkthrough.V2Image))
            .Aggregate(new List<int>(), (seen, n) => { if (seen.Count == 0 || seen[^1] != n) { seen.Add(n); } return seen; });
        reached.ShouldBe(reached.Order().ToList(), "ready v2 pods never went down");
        cumulative.ShouldAllBe(c => reached.Contains(c));

        // And the user's update strategy is back on the released DaemonSet
        var ds = (await cluster.GetAsync(ResourceKind.DaemonSet, Component))!;
        ds["spec"]!["updateStrategy"]!["type"]!.GetValue<string>().ShouldBe("RollingUpdate");
        ds["metadata"]?["annotations"]?["rollout.sluice.dev/update-strategy"].ShouldBeNull();
        ds["metadata"]?["annotations"]?["rollout.sluice.dev/controlled-by"].ShouldBeNull();
        daemonSets.Track(Component, d => d["spec"]!["updateStrategy"]!["type"]!.GetValue<string>()).ShouldBe(["RollingUpdate", "OnDelete", "RollingUpdate"]);
    }

    [Fact]
    public async Task Revert_ParkedAfterTheFirstNode_EndsWithEveryNodeBackOnV1()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var pods = cluster.Record("", "pods");
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "daemon", Walkthrough.V1Image));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: null, target: 1, "IncreaseFirst", "100%"));
        await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));

        // Given v1 -> v2 parked after its first node
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "daemon", Walkthrough.V2Image));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: 1, target: 2, "IncreaseFirst", "1", "1", "1") + "    batchPartition: 0\n");
        await Sluice.Testing.Eventually.WaitUntilAsync(async () => (await cluster.RolloutAsync())["status"] is { } s
                && s["lastTargetAppRevision"]?.GetValue<string>() == Walkthrough.Revision(2) && s["batchRollingState"]?.GetValue<string>() == "batchReady"
                && s["upgradedReadyReplicas"]?.GetValue<int>() == 1,
            TimeSpan.FromSeconds(60), () => "v2 parked on one node");
        var revertFrom = pods.States[^1].Version;

        // When source and target are swapped
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: 2, target: 1, "IncreaseFirst", "1", "1", "1"));

        // Then it succeeds with a ready v1 pod on every node, and only the one v2 pod was replaced (v1's stayed)
        await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));
        await Sluice.Testing.Eventually.WaitUntil(
            () => pods.States[^1].Objects.Values.Count(p => PodFacts.Ready(p) && PodFacts.Image(p) == Walkthrough.V1Image) == Nodes
                && pods.States[^1].Objects.Count == Nodes,
            TimeSpan.FromSeconds(10), "a ready v1 pod on every node and nothing else");
        pods.States.Where(s => s.Version >= revertFrom).SelectMany(s => s.Objects.Values).Select(PodFacts.Uid).Distinct().Count()
            .ShouldBe(Nodes + 1, "the 3 pods there at the revert and one new v1 pod");
    }

    [Fact]
    public async Task ScaleFromNothing_InSeveralBatches_FailsBeforeCreatingTheDaemonSet()
    {
        await using var cluster = await TestCluster.StartAsync();

        // Given application v1 (a daemon)
        await cluster.ApplyYamlAsync(Walkthrough.Application(Component, "daemon", Walkthrough.V1Image));

        // When an AppRollout asks to bring it up in batches of 10%, 40%, 50%
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout(Component, source: null, target: 1, "IncreaseFirst", "10%", "40%", "50%"));

        // Then the rollout fails saying why, and no DaemonSet was created
        var failed = await cluster.WaitForStateAsync("rolloutFailed");
        var message = (failed["status"]!["conditions"] as JsonArray)!.First(c => c!["type"]!.GetValue<string>() == "RolloutFailed")!["message"]!.GetValue<string>();
        message.ShouldContain("cannot be brought up in batches");
        (await cluster.GetAsync(ResourceKind.DaemonSet, Component)).ShouldBeNull();
    }
}
