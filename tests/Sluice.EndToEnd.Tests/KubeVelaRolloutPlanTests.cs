using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// KubeVela v1.1.13's rollout-plan end-to-end scenarios (test/e2e-test/rollout_plan_test.go), restated in our words on
/// the embedded plane with KubeVela's own manifests: an Application with no replicas brought up to a target size, a
/// rollout paused mid-way and resumed, a trait of the same name updated and a dropped trait collected by the rollout's
/// success, and a finished rollout scaled again by changing its targetSize.
/// </summary>
public class KubeVelaRolloutPlanTests
{
    private const string Component = "metrics-provider";

    /// <summary>KubeVela's app-no-replica.yaml, app-with-ingress-*.yaml and app-remove-ingress.yaml in one.</summary>
    private static string App(string image, string? domain = null) => $$"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: test-e2e-rolling
          annotations:
            "app.oam.dev/rollout-template": "true"
        spec:
          components:
            - name: metrics-provider
              type: clonesetservice
              properties:
                cmd:
                  - ./podinfo
                  - stress-cpu=1
                image: {{image}}
                port: 8080
                updateStrategyType: InPlaceOnly
        {{(domain is null ? "" : Ingress(domain))}}
        """;

    private static string Ingress(string domain) => $"""
              traits:
                - type: ingress
                  properties:
                    domain: {domain}
                    http:
                      "/": 8080
        """;

    /// <summary>KubeVela's appRollout.yaml as its tests use it: no source, no batchPartition, a targetSize.</summary>
    private static string Rollout(string? source, string target, int targetSize, string batches = "[{replicas: 10%}, {replicas: 40%}, {replicas: 50%}]", bool paused = false) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: rolling-e2e-test
        spec:
          {(source is null ? "" : $"sourceAppRevisionName: {source}")}
          targetAppRevisionName: {target}
          componentList: [metrics-provider]
          rolloutPlan:
            rolloutStrategy: IncreaseFirst
            rolloutBatches: {batches}
            targetSize: {targetSize}
            paused: {(paused ? "true" : "false")}
        """;

    private static async Task<TestCluster> WithRevisionOneAsync(string app, string podReadyDelay = "50ms..150ms")
    {
        var cluster = await TestCluster.StartAsync(podReadyDelay);
        await cluster.ApplyYamlAsync(app);
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "test-e2e-rolling-v1") is not null,
            TimeSpan.FromSeconds(30), () => "revision test-e2e-rolling-v1");
        return cluster;
    }

    /// <summary>KubeVela's verifyRolloutSucceeded: rolloutSucceed on the target with every pod of the target size upgraded and ready.</summary>
    private static async Task<JsonObject> SucceededAsync(TestCluster cluster, string target, int size)
    {
        JsonObject rollout = null!;
        await Eventually.WaitUntilAsync(async () =>
        {
            // The status of a rollout that succeeded before its targetSize changed is not this success.
            rollout = await cluster.WaitForStateAsync("rolloutSucceed", "rolling-e2e-test", target: target, timeout: TimeSpan.FromSeconds(90));
            return rollout["status"]?["rolloutTargetSize"]?.GetValue<int>() == size;
        }, TimeSpan.FromSeconds(90), () => $"rolloutSucceed at {size}; status {rollout["status"]?.ToJsonString()}");
        var status = rollout["status"]!;
        status["rolloutTargetSize"]!.GetValue<int>().ShouldBe(size);
        status["upgradedReplicas"]!.GetValue<int>().ShouldBe(size);
        status["upgradedReadyReplicas"]!.GetValue<int>().ShouldBe(size);
        var cloneSet = (await cluster.GetAsync(ResourceKind.CloneSet, Component))!;
        cloneSet["spec"]!["replicas"]!.GetValue<int>().ShouldBe(size);
        return rollout;
    }

    private static JsonObject? Condition(JsonObject rollout, string type) =>
        (rollout["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    [Fact]
    public async Task BasicScale_AppWithoutReplicasAndNoSource_IsBroughtUpToTheTargetSize()
    {
        await using var cluster = await WithRevisionOneAsync(App("stefanprodan/podinfo:4.0.3"));

        await cluster.ApplyYamlAsync(Rollout(null, "test-e2e-rolling-v1", targetSize: 7));

        await SucceededAsync(cluster, "test-e2e-rolling-v1", 7);
    }

    [Fact]
    public async Task PausedMidway_HoldsItsBatchUntilResumedAndTheSuccessIsWrittenOnce()
    {
        // (pods slow enough to be ready that the pause lands before the last batch)
        await using var cluster = await WithRevisionOneAsync(App("stefanprodan/podinfo:4.0.3"), podReadyDelay: "1s..2s");

        // Given a scale to 10 in batches of 10%, 40%, 50%, paused once it rolls
        await cluster.ApplyYamlAsync(Rollout(null, "test-e2e-rolling-v1", targetSize: 10));
        await Eventually.WaitUntilAsync(async () => (await cluster.RolloutAsync("rolling-e2e-test"))["status"]?["rollingState"]?.GetValue<string>() == "rollingInBatches",
            TimeSpan.FromSeconds(30), () => "rollingInBatches");
        await cluster.ApplyYamlAsync(Rollout(null, "test-e2e-rolling-v1", targetSize: 10, paused: true));

        // Then it says it is paused, and its batch does not move while it is
        JsonObject paused = null!;
        await Eventually.WaitUntilAsync(async () =>
        {
            paused = await cluster.RolloutAsync("rolling-e2e-test");
            return Condition(paused, "BatchPaused")?["status"]?.GetValue<string>() == "True";
        }, TimeSpan.FromSeconds(30), () => $"BatchPaused True; status {paused["status"]?.ToJsonString()}");
        var batch = paused["status"]!["currentBatch"]!.GetValue<int>();
        var pods = (await cluster.GetAsync(ResourceKind.CloneSet, Component))!["spec"]!["replicas"]!.GetValue<int>();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var still = await cluster.RolloutAsync("rolling-e2e-test");
        still["status"]!["rollingState"]!.GetValue<string>().ShouldBe("rollingInBatches");
        still["status"]!["currentBatch"]!.GetValue<int>().ShouldBe(batch);
        (await cluster.GetAsync(ResourceKind.CloneSet, Component))!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(pods);
        pods.ShouldBeLessThan(10);

        // When resumed, Then it finishes, and its success is not written again
        await cluster.ApplyYamlAsync(Rollout(null, "test-e2e-rolling-v1", targetSize: 10));
        var done = await SucceededAsync(cluster, "test-e2e-rolling-v1", 10);
        var succeededAt = Condition(done, "RolloutSucceed")!["lastTransitionTime"]!.GetValue<string>();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var later = await cluster.RolloutAsync("rolling-e2e-test");
        later["status"]!["rollingState"]!.GetValue<string>().ShouldBe("rolloutSucceed");
        Condition(later, "RolloutSucceed")!["lastTransitionTime"]!.GetValue<string>().ShouldBe(succeededAt);
    }

    [Fact]
    public async Task IngressTrait_SameNameUpdatedByTheRollout_ThenDroppedAndCollectedOnSuccess()
    {
        await using var cluster = await WithRevisionOneAsync(App("stefanprodan/podinfo:4.0.3", "test.example.com"));
        await cluster.ApplyYamlAsync(Rollout(null, "test-e2e-rolling-v1", targetSize: 7));
        await SucceededAsync(cluster, "test-e2e-rolling-v1", 7);
        (await HostAsync(cluster)).ShouldBe("test.example.com");

        // When v2 changes the image and the ingress trait's domain, and the rollout moves v1 to v2
        await cluster.ApplyYamlAsync(App("stefanprodan/podinfo:5.0.2", "test-1.example.com"));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "test-e2e-rolling-v2") is not null,
            TimeSpan.FromSeconds(30), () => "revision test-e2e-rolling-v2");
        await cluster.ApplyYamlAsync(Rollout("test-e2e-rolling-v1", "test-e2e-rolling-v2", targetSize: 7));
        await SucceededAsync(cluster, "test-e2e-rolling-v2", 7);

        // Then the same Ingress now routes the new domain
        await Eventually.WaitUntilAsync(async () => await HostAsync(cluster) == "test-1.example.com", TimeSpan.FromSeconds(30), () => "the Ingress on test-1.example.com");

        // When v3 drops the trait and the rollout moves v2 to v3, Then its success collects the Ingress
        await cluster.ApplyYamlAsync(App("stefanprodan/podinfo:5.0.2"));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "test-e2e-rolling-v3") is not null,
            TimeSpan.FromSeconds(30), () => "revision test-e2e-rolling-v3");
        await cluster.ApplyYamlAsync(Rollout("test-e2e-rolling-v2", "test-e2e-rolling-v3", targetSize: 7));
        await SucceededAsync(cluster, "test-e2e-rolling-v3", 7);
        await Eventually.WaitUntilAsync(async () => await HostAsync(cluster) is null, TimeSpan.FromSeconds(30), () => "the Ingress gone");
    }

    [Fact]
    public async Task TargetSizeChangedAfterSuccess_ScalesAgainTo4Then6()
    {
        await using var cluster = await WithRevisionOneAsync(App("stefanprodan/podinfo:4.0.3"));
        const string Batches = "[{replicas: 2}]";

        // Given KubeVela's appRolloutScale.yaml: one batch of 2, targetSize 2
        await cluster.ApplyYamlAsync(Rollout(null, "test-e2e-rolling-v1", targetSize: 2, Batches));
        await SucceededAsync(cluster, "test-e2e-rolling-v1", 2);

        // When targetSize goes to 4, then to 6, Then the CloneSet follows and the rollout succeeds each time
        await cluster.ApplyYamlAsync(Rollout(null, "test-e2e-rolling-v1", targetSize: 4, Batches));
        await Eventually.WaitUntilAsync(async () => (await cluster.GetAsync(ResourceKind.CloneSet, Component))?["spec"]?["replicas"]?.GetValue<int>() == 4,
            TimeSpan.FromSeconds(30), () => "the CloneSet at 4 replicas");
        await SucceededAsync(cluster, "test-e2e-rolling-v1", 4);
        await cluster.ApplyYamlAsync(Rollout(null, "test-e2e-rolling-v1", targetSize: 6, Batches));
        await Eventually.WaitUntilAsync(async () => (await cluster.GetAsync(ResourceKind.CloneSet, Component))?["spec"]?["replicas"]?.GetValue<int>() == 6,
            TimeSpan.FromSeconds(30), () => "the CloneSet at 6 replicas");
        await SucceededAsync(cluster, "test-e2e-rolling-v1", 6);
    }

    private static async Task<string?> HostAsync(TestCluster cluster) =>
        (await cluster.GetAsync(new ResourceKind("networking.k8s.io", "v1", "Ingress", "ingresses"), Component))?["spec"]?["rules"]?[0]?["host"]?.GetValue<string>();
}
