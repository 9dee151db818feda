using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using static Sluice.EndToEnd.Tests.Support.Manifests;

namespace Sluice.EndToEnd.Tests;

/// <summary>spec/rollout.md's behaviours on the embedded system: partition, failure, abandon, deletion.</summary>
public class RolloutScenarioTests
{
    private const string V1 = "stefanprodan/podinfo:4.0.6";
    private const string V2 = "stefanprodan/podinfo:5.0.2";
    private const string V3 = "stefanprodan/podinfo:6.0.0";

    /// <summary>Given app v1 rolled out to 5 pods and app v2 applied (so revisions v1 and v2 exist).</summary>
    private static async Task<TestCluster> WithV1RunningAndV2Ready(int replicas = 5, string? v2Fault = null)
    {
        var cluster = await TestCluster.StartAsync();
        await cluster.ApplyYamlAsync(App("shop", V1, replicas));
        await cluster.ApplyYamlAsync(Rollout("shop-up", null, "shop-v1", "50%,50%"));
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");
        await cluster.ApplyYamlAsync(App("shop", V2, replicas, v2Fault));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2") is not null, what: () => "revision shop-v2");
        return cluster;
    }

    private static async Task<List<JsonObject>> PodsAsync(TestCluster cluster) =>
        ((await cluster.Api.ListAsync(ResourceKind.Pod, "default", null, CancellationToken.None))["items"] as JsonArray ?? [])
            .OfType<JsonObject>().Where(p => PodFacts.OwnedBy(p, Component + "-")).ToList();

    private static JsonObject? Condition(JsonObject rollout, string type) =>
        (rollout["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    [Fact]
    public async Task BatchPartition_SeedPartitionOne_ParksWithFourUpgradedUntilRaised()
    {
        await using var cluster = await WithV1RunningAndV2Ready();
        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v2", "1,50%,50%", "    batchPartition: 1\n"));

        // Then it parks in batch index 1 with 4 pods upgraded, and stays there
        await Eventually.WaitUntilAsync(async () =>
        {
            var status = (await cluster.RolloutAsync("shop-up"))["status"];
            return status?["batchRollingState"]?.GetValue<string>() == "batchReady" && status["currentBatch"]?.GetValue<int>() == 1
                && status["upgradedReadyReplicas"]?.GetValue<int>() == 4 && status["lastTargetAppRevision"]?.GetValue<string>() == "shop-v2";
        }, what: () => "parked at batch 1 with 4 upgraded");
        await Task.Delay(1000);
        var parked = await cluster.RolloutAsync("shop-up");
        parked["status"]!["rollingState"]!.GetValue<string>().ShouldBe("rollingInBatches");
        (await PodsAsync(cluster)).Count(p => PodFacts.Image(p) == V2).ShouldBe(4);

        // When the partition is raised
        await cluster.Kubectl.RunAsync("patch", "approllout", "shop-up", "--type", "merge", "-p", """{"spec":{"rolloutPlan":{"batchPartition":2}}}""");

        // Then it finishes
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up", target: "shop-v2");
        (await PodsAsync(cluster)).ShouldAllBe(p => PodFacts.Image(p) == V2 && PodFacts.Ready(p));
    }

    [Fact]
    public async Task Failure_PodsNeverReady_FailsAtTheDeadlineAndRollsBackToV1()
    {
        await using var cluster = await WithV1RunningAndV2Ready(replicas: 4, v2Fault: "never-ready");

        // When a rollout to the bad v2 runs with a short progress deadline
        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v2", "1,3", "    progressDeadlineSeconds: 3\n"));

        // Then it fails at the deadline and, by default, every pod is back on v1 and ready
        var failed = await cluster.WaitForStateAsync("rolloutFailed", "shop-up", target: "shop-v2");
        var reason = Condition(failed, "RolloutFailed")!;
        reason["reason"]!.GetValue<string>().ShouldBe("ProgressDeadlineExceeded");
        reason["message"]!.GetValue<string>().ShouldContain("batch 1 not available within 3s");
        reason["message"]!.GetValue<string>().ShouldContain("rolled back", Case.Sensitive, reason.ToJsonString());
        var pods = await PodsAsync(cluster);
        pods.Count.ShouldBe(4);
        pods.ShouldAllBe(p => PodFacts.Image(p) == V1 && PodFacts.Ready(p));
        var events = await cluster.Kubectl.RunAsync("get", "events", "--field-selector", "involvedObject.name=shop-up", "-o", "custom-columns=TYPE:.type,REASON:.reason");
        events.ShouldContain("Warning   ProgressDeadlineExceeded");
        events.ShouldContain("RolloutFailed");
    }

    [Fact]
    public async Task Failure_OnFailurePause_LeavesTheWorkloadPausedAsItWas()
    {
        await using var cluster = await WithV1RunningAndV2Ready(replicas: 4, v2Fault: "never-ready");

        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v2", "1,3", "    progressDeadlineSeconds: 3\n    onFailure: Pause\n"));

        await cluster.WaitForStateAsync("rolloutFailed", "shop-up", target: "shop-v2");
        var cloneSet = (await cluster.GetAsync(ResourceKind.CloneSet, Component))!;
        cloneSet["spec"]!["updateStrategy"]!["paused"]!.GetValue<bool>().ShouldBeTrue();
        var pods = await PodsAsync(cluster);
        pods.Count(p => PodFacts.Image(p) == V2).ShouldBe(1);
        pods.Count(p => PodFacts.Image(p) == V1 && PodFacts.Ready(p)).ShouldBe(3);
    }

    [Fact]
    public async Task Modified_TargetChangedDuringBatchOne_AbandonsStartsOverAndEndsOnV3()
    {
        await using var cluster = await WithV1RunningAndV2Ready();
        await cluster.ApplyYamlAsync(App("shop", V3));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v3") is not null, what: () => "revision shop-v3");
        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v2", "1,2,2", "    batchPartition: 1\n"));
        // (the v1 rollout's finished status also says currentBatch 1: wait for v2's own batch index 1)
        await Eventually.WaitUntilAsync(async () =>
        {
            var status = (await cluster.RolloutAsync("shop-up"))["status"];
            return status?["lastTargetAppRevision"]?.GetValue<string>() == "shop-v2" && status["rollingState"]?.GetValue<string>() == "rollingInBatches"
                && status["currentBatch"]?.GetValue<int>() == 1;
        }, what: () => "v2 at batch index 1");

        // When the target changes to v3 mid-way (and the partition goes)
        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v3", "1,2,2"));

        // Then the rollout abandons, starts over, and ends with every pod on v3
        try
        {
            await cluster.WaitForStateAsync("rolloutSucceed", "shop-up", target: "shop-v3");
        }
        catch (TimeoutException e)
        {
            var pods = string.Join("\n", (await PodsAsync(cluster)).Select(p => p.ToJsonString()));
            var cloneSet = (await cluster.GetAsync(ResourceKind.CloneSet, Component))?.ToJsonString();
            throw new TimeoutException($"{e.Message}\nCloneSet: {cloneSet}\npods:\n{pods}", e);
        }

        (await PodsAsync(cluster)).ShouldAllBe(p => PodFacts.Image(p) == V3 && PodFacts.Ready(p));
        var reasons = await cluster.Kubectl.RunAsync("get", "events", "--field-selector", "involvedObject.name=shop-up", "-o", "custom-columns=REASON:.reason");
        reasons.ShouldContain("RolloutAbandoned");
    }

    [Fact]
    public async Task Deleted_UnfinishedWithRevertOnDelete_PutsV1BackBeforeTheFinalizerGoes()
    {
        await using var cluster = await WithV1RunningAndV2Ready();
        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v2", "1,2,2", "    batchPartition: 1\n", spec: "  revertOnDelete: true\n"));
        await Eventually.WaitUntilAsync(async () => (await cluster.RolloutAsync("shop-up"))["status"] is { } s
                && s["lastTargetAppRevision"]?.GetValue<string>() == "shop-v2" && s["upgradedReadyReplicas"]?.GetValue<int>() == 3,
            what: () => "3 pods upgraded");

        // When the unfinished rollout is deleted (kubectl waits until the finalizer is gone)
        await cluster.Kubectl.RunAsync("delete", "approllout", "shop-up", "--timeout=60s");

        // Then v1 is back on every pod before the rollout is gone
        (await cluster.GetAsync(ResourceKind.AppRollout, "shop-up")).ShouldBeNull();
        (await PodsAsync(cluster)).ShouldAllBe(p => PodFacts.Image(p) == V1 && PodFacts.Ready(p));
    }
}
