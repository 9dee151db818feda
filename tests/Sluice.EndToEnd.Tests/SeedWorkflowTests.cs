using System.Text.Json.Nodes;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>The seed's walkthrough as a user runs it: kubectl apply of the seed's manifests, unchanged.</summary>
public class SeedWorkflowTests
{
    private static int Replicas(JsonObject cloneSet) => cloneSet["spec"]?["replicas"]?.GetValue<int>() ?? 0;

    private static int Partition(JsonObject cloneSet) => cloneSet["spec"]?["updateStrategy"]?["partition"]?.GetValue<int>() ?? 0;

    private static int UpdatedReady(JsonObject cloneSet) => cloneSet["status"]?["updatedReadyReplicas"]?.GetValue<int>() ?? 0;

    [Fact]
    public async Task SeedWorkflow_KubectlApply_ScalesUpInBatchesThenUpgradesInPlaceInBatches()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var cloneSets = cluster.Record("apps.kruise.io", "clonesets");
        await using var pods = cluster.Record("", "pods");

        // Given KubeVela's clonesetservice definition, unchanged, and the seed's application v1 with its rollout
        await cluster.ApplyAsync(RepoPaths.KubeVela("clonesetDefinition.yaml"));
        await cluster.ApplyAsync(RepoPaths.Seed("01-application-v1.yaml"));
        await cluster.ApplyAsync(RepoPaths.Seed("02-rollout-to-v1.yaml"));

        // Then the CloneSet grows 1, 3, 5 pods, each batch asked for only once the one before was ready
        var first = await cluster.WaitForStateAsync("rolloutSucceed");
        first["status"]!["upgradedReadyReplicas"]!.GetValue<int>().ShouldBe(5);
        cloneSets.Track("metrics-provider", Replicas).Where(r => r > 0).ShouldBe([1, 3, 5]);
        AssertEachStepWaitedForTheLast(cloneSets, Replicas, c => c["status"]?["readyReplicas"]?.GetValue<int>() ?? 0);
        var v1Pods = pods.States[^1].Objects.Values.ToList();
        v1Pods.Count.ShouldBe(5);
        v1Pods.ShouldAllBe(p => PodFacts.Image(p) == "stefanprodan/podinfo:4.0.6" && PodFacts.Ready(p));
        var upgradeStartsAt = pods.States[^1].Version;

        // When the application moves to podinfo 5.0.2 and the seed's v1-to-v2 rollout is applied
        await cluster.ApplyAsync(RepoPaths.Seed("03-application-v2.yaml"));
        await cluster.ApplyAsync(RepoPaths.Seed("04-rollout-v1-to-v2.yaml"));

        // Then the pods move in place (same names and uids), 1, 3, 5 upgraded, and the rollout succeeds
        var second = await cluster.WaitForStateAsync("rolloutSucceed", target: "test-rolling-v2");
        second["status"]!["lastTargetAppRevision"]!.GetValue<string>().ShouldBe("test-rolling-v2");
        var v2Pods = pods.States[^1].Objects.Values.ToList();
        v2Pods.ShouldAllBe(p => PodFacts.Image(p) == "stefanprodan/podinfo:5.0.2" && PodFacts.Ready(p));
        v2Pods.Select(PodFacts.Uid).Order().ShouldBe(v1Pods.Select(PodFacts.Uid).Order());
        cloneSets.Track("metrics-provider", c => c["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>() == "test-rolling-v2" ? 5 - Partition(c) : -1)
            .Where(u => u >= 0).ShouldBe([1, 3, 5]);
        AssertEachStepWaitedForTheLast(cloneSets, c => 5 - Partition(c), UpdatedReady, from: upgradeStartsAt);

        // And at no moment did more pods run 5.0.2 than the partition allowed, or were more unready than one batch (2)
        foreach (var (version, state) in pods.States.Where(s => s.Version > upgradeStartsAt))
        {
            var cloneSet = cloneSets.At("metrics-provider", version)!;
            var upgraded = state.Values.Count(p => PodFacts.Image(p) == "stefanprodan/podinfo:5.0.2");
            upgraded.ShouldBeLessThanOrEqualTo(5 - Partition(cloneSet), $"at resourceVersion {version}");
            state.Values.Count(p => !PodFacts.Ready(p)).ShouldBeLessThanOrEqualTo(2, $"at resourceVersion {version}");
        }
    }

    /// <summary>Every time the asked-for count went up, what was asked before was already ready.</summary>
    private static void AssertEachStepWaitedForTheLast(ObjectHistory history, Func<JsonObject, int> asked, Func<JsonObject, int> ready, long from = 0)
    {
        JsonObject? previous = null;
        foreach (var (version, state) in history.States.Where(s => s.Version >= from))
        {
            if (!state.TryGetValue("metrics-provider", out var current))
            {
                continue;
            }

            if (previous is not null && asked(current) > asked(previous) && asked(previous) > 0)
            {
                ready(previous).ShouldBeGreaterThanOrEqualTo(asked(previous),
                    $"at resourceVersion {version} the rollout asked for {asked(current)} before {asked(previous)} were ready");
            }

            previous = current;
        }
    }
}
