using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;
using static Sluice.EndToEnd.Tests.Support.Manifests;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// <c>sluice rollout pause|resume|promote|abort|retry|undo|status</c>, run as a process against the embedded
/// system (plane, simulator, controllers): each does to a real rollout what docs/user-guide.md says.
/// </summary>
public class RolloutCommandEndToEndTests
{
    private const string V1 = "stefanprodan/podinfo:4.0.6";
    private const string V2 = "stefanprodan/podinfo:5.0.2";

    /// <summary>Given app v1 rolled out to 5 pods and app v2 applied (so revisions v1 and v2 exist).</summary>
    private static async Task<TestCluster> WithV1RunningAndV2Ready()
    {
        var cluster = await TestCluster.StartAsync();
        await cluster.ApplyYamlAsync(App("shop", V1, 5));
        await cluster.ApplyYamlAsync(Rollout("shop-up", null, "shop-v1", "50%,50%"));
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up");
        await cluster.ApplyYamlAsync(App("shop", V2, 5));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2") is not null, what: () => "revision shop-v2");
        return cluster;
    }

    private static async Task<List<JsonObject>> PodsAsync(TestCluster cluster) =>
        ((await cluster.Api.ListAsync(ResourceKind.Pod, "default", null, CancellationToken.None))["items"] as JsonArray ?? [])
            .OfType<JsonObject>().Where(p => PodFacts.OwnedBy(p, Component + "-")).ToList();

    private static async Task<int> OnV2Async(TestCluster cluster) => (await PodsAsync(cluster)).Count(p => PodFacts.Image(p) == V2);

    /// <summary>Waits until the shop-v1 -> shop-v2 rollout is parked in batchReady at <paramref name="batch"/> with <paramref name="ready"/> upgraded pods ready.</summary>
    private static Task ParkedAsync(TestCluster cluster, int batch, int ready) =>
        Eventually.WaitUntilAsync(async () =>
        {
            var status = (await cluster.RolloutAsync("shop-up"))["status"];
            return status?["lastTargetAppRevision"]?.GetValue<string>() == "shop-v2" && status["rollingState"]?.GetValue<string>() == "rollingInBatches"
                && status["batchRollingState"]?.GetValue<string>() == "batchReady" && status["currentBatch"]?.GetValue<int>() == batch
                && status["upgradedReadyReplicas"]?.GetValue<int>() == ready;
        }, TimeSpan.FromSeconds(60), () => $"parked at batch index {batch} with {ready} ready");

    private static JsonObject? Condition(JsonObject rollout, string type) =>
        (rollout["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    [Fact]
    public async Task PauseResumePromote_PartitionedRollout_HoldReleaseAndFinish()
    {
        await using var cluster = await WithV1RunningAndV2Ready();
        var sluice = new SluiceCommand(cluster.Plane.KubeconfigPath);

        // Given a rollout v1 -> v2 in batches 1, 2, 2 parked by batchPartition 0 after its first batch
        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v2", "1,2,2", "    batchPartition: 0\n"));
        await ParkedAsync(cluster, batch: 0, ready: 1);

        // Then `rollout status` times out (7) on it, and says not found (4) for another name
        (await sluice.RunAsync("rollout", "status", "shop-up", "--timeout", "1s")).Code.ShouldBe(7);
        (await sluice.RunAsync("rollout", "status", "nosuch", "--timeout", "5s")).Code.ShouldBe(4);

        // When it is paused and then promoted
        await sluice.OkAsync("rollout", "pause", "shop-up");
        await sluice.OkAsync("-n", "default", "rollout", "promote", "shop-up");

        // Then the pause holds the next batch: BatchPaused=True and still one pod on v2
        await Eventually.WaitUntilAsync(async () => Condition(await cluster.RolloutAsync("shop-up"), "BatchPaused")?["status"]?.GetValue<string>() == "True",
            TimeSpan.FromSeconds(30), () => "BatchPaused=True");
        await Task.Delay(1000);
        (await OnV2Async(cluster)).ShouldBe(1);
        (await cluster.RolloutAsync("shop-up"))["status"]!["currentBatch"]!.GetValue<int>().ShouldBe(0);

        // When it is resumed, Then it rolls the released batch and parks at batch index 1 with 3 pods on v2
        await sluice.OkAsync("rollout", "resume", "shop-up");
        await ParkedAsync(cluster, batch: 1, ready: 3);
        (await OnV2Async(cluster)).ShouldBe(3);

        // When it is promoted fully, Then it finishes and `rollout status` exits 0
        await sluice.OkAsync("rollout", "promote", "shop-up", "--full");
        var (code, _, stderr) = await sluice.RunAsync("rollout", "status", "shop-up", "--timeout", "60s");
        code.ShouldBe(0, stderr);
        stderr.ShouldContain("rolloutSucceed: 5/5 upgraded, 5 ready, shop-v1 -> shop-v2");
        (await PodsAsync(cluster)).ShouldAllBe(p => PodFacts.Image(p) == V2 && PodFacts.Ready(p));

        // And `rollout watch` on the finished rollout draws its workload with every pod ready on v2, then exits 0
        var (watchCode, _, frame) = await sluice.RunAsync("rollout", "watch", "shop-up");
        watchCode.ShouldBe(0, frame);
        frame.ShouldContain($"Target:     shop-v2 ({V2})");
        frame.Split('\n').Count(l => l.Contains("□ web-", StringComparison.Ordinal) && l.Contains("✔ Running", StringComparison.Ordinal) && l.EndsWith("shop-v2", StringComparison.Ordinal)).ShouldBe(5, frame);
    }

    [Fact]
    public async Task AbortRetryUndo_HalfDoneRollout_RollsBackRestartsAndReturnsToTheSource()
    {
        await using var cluster = await WithV1RunningAndV2Ready();
        var sluice = new SluiceCommand(cluster.Plane.KubeconfigPath);

        // Given a rollout v1 -> v2 half done: parked with 3 of 5 pods on v2
        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v2", "1,2,2", "    batchPartition: 1\n"));
        await ParkedAsync(cluster, batch: 1, ready: 3);

        // When it is aborted
        await sluice.OkAsync("rollout", "abort", "shop-up");

        // Then it fails with reason Aborted, every pod back on v1 and ready, and `rollout status` exits 6
        var (failedCode, _, failedText) = await sluice.RunAsync("rollout", "status", "shop-up", "--timeout", "60s");
        failedCode.ShouldBe(6, failedText);
        var failed = await cluster.RolloutAsync("shop-up");
        Condition(failed, "RolloutFailed")!["reason"]!.GetValue<string>().ShouldBe("Aborted");
        var pods = await PodsAsync(cluster);
        pods.Count.ShouldBe(5);
        pods.ShouldAllBe(p => PodFacts.Image(p) == V1 && PodFacts.Ready(p));
        (await sluice.RunAsync("rollout", "abort", "shop-up")).Code.ShouldBe(5);

        // When it is retried, Then it starts again from its first batch and parks at the partition with 3 on v2
        await using (var history = cluster.Record("core.oam.dev", "approllouts"))
        {
            await sluice.OkAsync("rollout", "retry", "shop-up");
            await ParkedAsync(cluster, batch: 1, ready: 3);
            var trail = history.Track("shop-up", o => $"{o["status"]?["rollingState"]}/{o["status"]?["currentBatch"]}").ToList();
            trail.ShouldContain("rollingInBatches/0", string.Join(", ", trail));
            trail.IndexOf("rollingInBatches/0").ShouldBeLessThan(trail.IndexOf("rollingInBatches/1"));
        }

        (await cluster.RolloutAsync("shop-up"))["metadata"]!["annotations"]?["rollout.sluice.dev/abort"].ShouldBeNull();
        (await OnV2Async(cluster)).ShouldBe(3);

        // When it is promoted to the end and then undone
        await sluice.OkAsync("rollout", "promote", "shop-up", "--full");
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up", target: "shop-v2");
        (await sluice.RunAsync("rollout", "retry", "shop-up")).Code.ShouldBe(5);
        await sluice.OkAsync("rollout", "undo", "shop-up");

        // Then it rolls v2 -> v1 and every pod is back on v1
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-up", target: "shop-v1");
        var spec = (await cluster.RolloutAsync("shop-up"))["spec"]!;
        spec["sourceAppRevisionName"]!.GetValue<string>().ShouldBe("shop-v2");
        (await PodsAsync(cluster)).ShouldAllBe(p => PodFacts.Image(p) == V1 && PodFacts.Ready(p));
    }

    [Fact]
    public async Task Watch_InATerminal_RepaintsInPlaceAndEndsWithTheRollout()
    {
        await using var cluster = await WithV1RunningAndV2Ready();
        var sluice = new SluiceCommand(cluster.Plane.KubeconfigPath);

        // Given a rollout v1 -> v2 parked by batchPartition 0 after its first batch
        await cluster.ApplyYamlAsync(Rollout("shop-up", "shop-v1", "shop-v2", "1,2,2", "    batchPartition: 0\n"));
        await ParkedAsync(cluster, batch: 0, ready: 1);

        // When `sluice rollout watch` runs in a 100x40 terminal
        var command = $"dotnet '{RepoPaths.SluiceDll}' rollout watch shop-up --kubeconfig '{cluster.Plane.KubeconfigPath}'; echo \"EXIT=$?\"; sleep 60";
        await using var tmux = await Tmux.StartAsync(command, 100, 40);

        // Then it shows the parked rollout: the held batches and the workload's pods
        var screen = "";
        await Eventually.WaitUntilAsync(async () => (screen = await tmux.CaptureAsync()).Contains("held (batchPartition 0)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), () => $"the parked view; the screen shows:\n{screen}");
        screen.ShouldContain("Batch 1/3 [");
        screen.ShouldContain("□ web-");

        // When the rollout is promoted fully, Then the same screen is repainted to the end and the watch exits 0
        await sluice.OkAsync("rollout", "promote", "shop-up", "--full");
        await Eventually.WaitUntilAsync(async () => (screen = await tmux.CaptureAsync()).Contains("EXIT=", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), () => $"the watch to end; the screen shows:\n{screen}");
        screen.ShouldContain("EXIT=0");
        screen.ShouldContain("✔ rolloutSucceed");
        screen.Split('\n').Count(l => l.StartsWith("Name:", StringComparison.Ordinal)).ShouldBe(1, screen);
        screen.Split('\n').Count(l => l.Contains("✔ Running", StringComparison.Ordinal) && l.TrimEnd().EndsWith("shop-v2", StringComparison.Ordinal)).ShouldBe(5, screen);
    }
}
