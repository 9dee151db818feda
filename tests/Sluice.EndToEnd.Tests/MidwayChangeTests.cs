using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// An AppRollout changed or deleted while it runs, as KubeVela users do it: swapping source and target to back away
/// (revert in the middle), naming a third revision (roll forward), deleting it. Each must end where the spec says:
/// every pod on the revision the rollout now names, never fewer pods ready than the plan allows, no pod left on a
/// revision nobody asked for.
/// </summary>
public class MidwayChangeTests
{
    private const int Total = 5;
    private const int LargestBatch = 2;
    private const string V3Image = "stefanprodan/podinfo:6.0.0";

    public static TheoryData<string, string> Kinds => new()
    {
        { "clonesetservice", "web" },
        { "worker", "api" },
        { "statefulservice", "store" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Revert_ParkedAfterBatchOne_EndsWithEveryPodBackOnV1(string type, string component)
    {
        await using var run = await Scenario.StartAsync(type, component);

        // Given v1 -> v2 parked after its first batch (1 of 5 pods on v2)
        await run.ParkV1ToV2AfterBatchAsync(0, upgraded: 1);

        // When the operator swaps source and target (the emergency move), and waits as a KubeVela script would
        await run.Cluster.ApplyYamlAsync(run.Rollout(source: 2, target: 1));
        var wait = run.Cluster.Kubectl.TryAsync("wait", "--for=condition=RolloutSucceed", $"approllout/{Walkthrough.Rollout}", "--timeout=55s");

        // Then the rollout succeeds on v1 with all 5 pods there and ready, and kubectl wait returns for it
        await run.Cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));
        await run.ExpectEveryPodOnAsync(Walkthrough.V1Image);
        run.ExpectReadyNeverBelow(Total - LargestBatch);
        var (code, stdout, stderr) = await wait;
        code.ShouldBe(0, stderr);
        stdout.ShouldContain("condition met");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Deleted_MidwayWithoutRevert_LeavesItPausedAndTheApplicationsDeletionRemovesIt(string type, string component)
    {
        await using var run = await Scenario.StartAsync(type, component);
        await run.ParkV1ToV2AfterBatchAsync(0, upgraded: 1);

        // When the unfinished rollout is deleted (kubectl waits for its finalizer)
        await run.Cluster.Kubectl.RunAsync("delete", "approllout", Walkthrough.Rollout, "--timeout=55s");

        // Then the workload is left paused with its pods where they were: 1 on v2, 4 on v1
        (await run.Cluster.GetAsync(ResourceKind.AppRollout, Walkthrough.Rollout)).ShouldBeNull();
        foreach (var workload in await run.WorkloadsAsync())
        {
            run.IsPaused(workload).ShouldBeTrue(workload.ToJsonString());
            workload["metadata"]?["annotations"]?["rollout.sluice.dev/controlled-by"].ShouldBeNull();
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var pods = await run.LivePodsAsync();
        pods.Count(p => PodFacts.Image(p) == Walkthrough.V2Image).ShouldBe(1);
        pods.Count(p => PodFacts.Image(p) == Walkthrough.V1Image).ShouldBe(Total - 1);
        (await run.Cluster.Kubectl.RunAsync("get", "events", "--field-selector", $"involvedObject.name={Walkthrough.Rollout}", "-o", "custom-columns=REASON:.reason,MESSAGE:.message"))
            .ShouldContain("left paused where it was");

        // When the Application is deleted
        await run.Cluster.Kubectl.RunAsync("delete", "application", Walkthrough.App, "--timeout=55s");

        // Then the workloads the rollouts created or took over go with it, and their pods
        List<JsonObject> left = [];
        await Eventually.WaitUntilAsync(async () => (left = await run.WorkloadsAsync()).Count == 0 && (await run.LivePodsAsync()).Count == 0,
            TimeSpan.FromSeconds(30), () => $"{component}'s workloads and pods gone; left: {string.Join(", ", left.Select(w => w["metadata"]!["name"]))}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Revert_ParkedAfterBatchTwo_EndsWithEveryPodBackOnV1(string type, string component)
    {
        await using var run = await Scenario.StartAsync(type, component);
        await run.ParkV1ToV2AfterBatchAsync(1, upgraded: 3);

        await run.Cluster.ApplyYamlAsync(run.Rollout(source: 2, target: 1));

        await run.Cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));
        await run.ExpectEveryPodOnAsync(Walkthrough.V1Image);
        run.ExpectReadyNeverBelow(Total - LargestBatch);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RollForward_ToV3ParkedAfterBatchOne_EndsWithEveryPodOnV3(string type, string component)
    {
        await using var run = await Scenario.StartAsync(type, component);
        await run.ParkV1ToV2AfterBatchAsync(0, upgraded: 1);
        await run.Cluster.ApplyYamlAsync(Walkthrough.Application(component, type, V3Image, replicas: Total));
        await Eventually.WaitUntilAsync(async () => await run.Cluster.GetAsync(ResourceKind.ApplicationRevision, Walkthrough.Revision(3)) is not null,
            what: () => "revision walk-v3");

        // When the rollout is pointed at a third revision mid-way
        await run.Cluster.ApplyYamlAsync(run.Rollout(source: 2, target: 3));

        // Then every pod ends on v3: none left on v1 (which the new rollout does not name) nor on v2
        await run.Cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(3));
        await run.ExpectEveryPodOnAsync(V3Image);
        run.ExpectReadyNeverBelow(Total - LargestBatch);
    }

    [Fact]
    public async Task Revert_WhileBatchTwoRolls_EndsWithEveryPodBackOnV1()
    {
        // Pods slow enough (1-2 s) that the revert lands while batch 2's pods are moving
        await using var run = await Scenario.StartAsync("clonesetservice", "web", podReadyDelay: "1s..2s");
        await run.Cluster.ApplyYamlAsync(Walkthrough.Application("web", "clonesetservice", Walkthrough.V2Image, replicas: Total));
        await Eventually.WaitUntilAsync(async () => await run.Cluster.GetAsync(ResourceKind.ApplicationRevision, Walkthrough.Revision(2)) is not null,
            what: () => "revision walk-v2");
        await run.Cluster.ApplyYamlAsync(run.Rollout(source: 1, target: 2));
        await Eventually.WaitUntilAsync(async () => (await run.Cluster.RolloutAsync())["status"] is { } s
                && s["lastTargetAppRevision"]?.GetValue<string>() == Walkthrough.Revision(2)
                && s["currentBatch"]?.GetValue<int>() == 1 && s["batchRollingState"]?.GetValue<string>() == "batchVerifying",
            TimeSpan.FromSeconds(60), () => "v2's batch 2 verifying");

        await run.Cluster.ApplyYamlAsync(run.Rollout(source: 2, target: 1));

        await run.Cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1), timeout: TimeSpan.FromSeconds(90));
        await run.ExpectEveryPodOnAsync(Walkthrough.V1Image);
        run.ExpectReadyNeverBelow(Total - LargestBatch);
    }

    /// <summary>One component of one type on a fresh embedded system, with its pods recorded.</summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private readonly ObjectHistory pods;

        private Scenario(TestCluster cluster, string type, string component)
        {
            Cluster = cluster;
            Type = type;
            Component = component;
            pods = cluster.Record("", "pods");
        }

        public TestCluster Cluster { get; }

        public string Type { get; }

        public string Component { get; }

        /// <summary>Starts the system and brings v1 up from nothing (5 pods).</summary>
        public static async Task<Scenario> StartAsync(string type, string component, string podReadyDelay = "50ms..150ms")
        {
            var cluster = await TestCluster.StartAsync(podReadyDelay);
            var run = new Scenario(cluster, type, component);
            await cluster.ApplyYamlAsync(Walkthrough.Application(component, type, Walkthrough.V1Image, replicas: Total));
            await cluster.ApplyYamlAsync(Walkthrough.AppRollout(component, source: null, target: 1, "IncreaseFirst", "50%", "50%"));
            await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1), timeout: TimeSpan.FromSeconds(90));
            return run;
        }

        /// <summary>Applies v2 and rolls v1 -> v2 in batches 1, 2, 2 until it parks at <paramref name="partition"/>.</summary>
        public async Task ParkV1ToV2AfterBatchAsync(int partition, int upgraded)
        {
            await Cluster.ApplyYamlAsync(Walkthrough.Application(Component, Type, Walkthrough.V2Image, replicas: Total));
            await Eventually.WaitUntilAsync(async () => await Cluster.GetAsync(ResourceKind.ApplicationRevision, Walkthrough.Revision(2)) is not null,
                what: () => "revision walk-v2");
            await Cluster.ApplyYamlAsync(Rollout(source: 1, target: 2, partition: partition));
            JsonNode? status = null;
            await Eventually.WaitUntilAsync(async () => (status = (await Cluster.RolloutAsync())["status"]) is { } s
                    && s["lastTargetAppRevision"]?.GetValue<string>() == Walkthrough.Revision(2)
                    && s["batchRollingState"]?.GetValue<string>() == "batchReady" && s["currentBatch"]?.GetValue<int>() == partition
                    && s["upgradedReadyReplicas"]?.GetValue<int>() == upgraded,
                TimeSpan.FromSeconds(60), () => $"v2 parked after batch {partition + 1} with {upgraded} upgraded; status {status?.ToJsonString()}");
            (await LivePodsAsync()).Count(p => PodFacts.Image(p) == Walkthrough.V2Image).ShouldBe(upgraded);
        }

        /// <summary>The component's workload objects (one, or a Deployment per revision).</summary>
        public async Task<List<JsonObject>> WorkloadsAsync()
        {
            var kind = Type switch { "clonesetservice" => ResourceKind.CloneSet, "statefulservice" => ResourceKind.StatefulSet, _ => ResourceKind.Deployment };
            return ((await Cluster.Api.ListAsync(kind, "default", null, CancellationToken.None))["items"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Where(w => w["metadata"]!["name"]!.GetValue<string>() is var name && (name == Component || name.StartsWith(Component + "-v", StringComparison.Ordinal)))
                .ToList();
        }

        /// <summary>Nothing moves by itself: a CloneSet or Deployment paused, a StatefulSet's partition above every pod.</summary>
        public bool IsPaused(JsonObject workload) => Type switch
        {
            "clonesetservice" => workload["spec"]?["updateStrategy"]?["paused"]?.GetValue<bool>() == true,
            "statefulservice" => workload["spec"]?["updateStrategy"]?["rollingUpdate"]?["partition"]?.GetValue<int>() >= Walkthrough.Replicas(workload),
            _ => workload["spec"]?["paused"]?.GetValue<bool>() == true,
        };

        public string Rollout(int source, int target, int? partition = null)
        {
            var yaml = Walkthrough.AppRollout(Component, source, target, "IncreaseFirst", "1", "2", "2");
            return partition is { } p ? yaml + $"    batchPartition: {p}\n" : yaml;
        }

        public async Task<List<JsonObject>> LivePodsAsync() =>
            ((await Cluster.Api.ListAsync(ResourceKind.Pod, "default", null, CancellationToken.None))["items"] as JsonArray ?? [])
                .OfType<JsonObject>().Where(p => PodFacts.OwnedBy(p, Component + "-") && p["metadata"]?["deletionTimestamp"] is null).ToList();

        /// <summary>Exactly <see cref="Total"/> pods, every one on <paramref name="image"/> and ready (a two-object kind's other Deployments gone).</summary>
        public async Task ExpectEveryPodOnAsync(string image)
        {
            List<JsonObject> live = [];
            await Eventually.WaitUntilAsync(async () => (live = await LivePodsAsync()).Count == Total && live.All(p => PodFacts.Image(p) == image && PodFacts.Ready(p)),
                TimeSpan.FromSeconds(30), () => $"{Total} ready pods on {image}; pods: {string.Join(", ", live.Select(p => $"{p["metadata"]!["name"]} {PodFacts.Image(p)} ready={PodFacts.Ready(p)}"))}");
        }

        /// <summary>At no recorded moment after v1 came up were fewer than <paramref name="minReady"/> of the component's pods ready.</summary>
        public void ExpectReadyNeverBelow(int minReady)
        {
            var started = false;
            foreach (var (version, state) in pods.States)
            {
                var ready = state.Values.Count(p => PodFacts.OwnedBy(p, Component + "-") && PodFacts.Ready(p));
                started |= ready >= Total;
                if (started)
                {
                    ready.ShouldBeGreaterThanOrEqualTo(minReady, $"ready pods of {Component} at resourceVersion {version}");
                }
            }

            started.ShouldBeTrue("v1 was never fully ready");
        }

        public async ValueTask DisposeAsync()
        {
            await pods.DisposeAsync();
            await Cluster.DisposeAsync();
        }
    }
}
