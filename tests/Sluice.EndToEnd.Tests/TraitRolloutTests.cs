using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Traits and imported kube packages on rolled components: a trait change is a new revision that an AppRollout moves
/// in batches, and a definition written as KubeVela's Deployment walkthrough writes it (import of kube/apps/v1) works.
/// </summary>
public class TraitRolloutTests
{
    private static string App(string level) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
          annotations:
            app.oam.dev/rolling-components: web
            app.oam.dev/rollout-template: "true"
        spec:
          components:
            - name: web
              type: clonesetservice
              properties:
                image: stefanprodan/podinfo:4.0.6
                replicas: 5
                updateStrategyType: InPlaceIfPossible
              traits:
                - type: env
                  properties:
                    env:
                      LOG_LEVEL: {level}
                - type: labels
                  properties:
                    team: payments
        """;

    private static string? LogLevel(JsonObject pod) =>
        (pod["spec"]!["containers"]![0]!["env"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => e["name"]?.GetValue<string>() == "LOG_LEVEL")?["value"]?.GetValue<string>();

    [Fact]
    public async Task TraitChange_IsANewRevisionThatAnAppRolloutMovesInBatches()
    {
        await using var cluster = await TestCluster.StartAsync();
        var clonesets = cluster.Record("apps.kruise.io", "clonesets");
        await using var _ = clonesets;

        // Given v1 (LOG_LEVEL=info from the env trait) brought up by an AppRollout
        await cluster.ApplyYamlAsync(App("info"));
        await cluster.ApplyYamlAsync(Support.Manifests.Rollout("rolling-example", null, "shop-v1", "5"));
        await cluster.WaitForStateAsync("rolloutSucceed", target: "shop-v1");

        // When only the trait changes, and an AppRollout moves v1 to v2 in batches of 1, 2 and 2
        await cluster.ApplyYamlAsync(App("debug"));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2") is not null, TimeSpan.FromSeconds(30), () => "revision shop-v2");
        var startsAt = clonesets.States[^1].Version;
        await cluster.ApplyYamlAsync(Support.Manifests.Rollout("rolling-example", "shop-v1", "shop-v2", "1,2,2"));
        await cluster.WaitForStateAsync("rolloutSucceed", target: "shop-v2");

        // Then the CloneSet was asked for 1, 3 and 5 pods on v2 in turn (partition 4, 2, 0; the take-over and batch 1 are one write), and runs the new trait
        var partitions = clonesets.States.Where(s => s.Version > startsAt && s.Objects.ContainsKey(Support.Manifests.Component))
            .Select(s => s.Objects[Support.Manifests.Component]["spec"]?["updateStrategy"]?["partition"]?.GetValue<int>())
            .Where(p => p is not null).Select(p => p!.Value).Distinct().ToList();
        partitions.ShouldBe([4, 2, 0]);
        var cloneset = (await cluster.GetAsync(ResourceKind.CloneSet, Support.Manifests.Component))!;
        LogLevel(cloneset["spec"]!["template"]!.AsObject()).ShouldBe("debug");
        cloneset["spec"]!["template"]!["metadata"]!["labels"]!["team"]!.GetValue<string>().ShouldBe("payments");
        await Eventually.WaitUntilAsync(async () =>
        {
            var pods = (await cluster.Api.ListAsync(ResourceKind.Pod, "default", null, CancellationToken.None))["items"]!.AsArray().OfType<JsonObject>().ToList();
            return pods.Count == 5 && pods.All(p => LogLevel(p) == "debug");
        }, TimeSpan.FromSeconds(30), () => "5 pods with LOG_LEVEL=debug");

        // And the application reports the component as healthy, running v2's trait
        var app = (await cluster.GetAsync(ResourceKind.Application, "shop"))!;
        await Eventually.WaitUntilAsync(async () => (await cluster.GetAsync(ResourceKind.Application, "shop"))?["status"]?["status"]?.GetValue<string>() == "running",
            TimeSpan.FromSeconds(30), () => $"phase running; status {app["status"]?.ToJsonString()}");
    }

    /// <summary>A Deployment definition written the way KubeVela's Deployment rollout walkthrough writes its own.</summary>
    private const string ImportingDefinition = """
        apiVersion: core.oam.dev/v1beta1
        kind: ComponentDefinition
        metadata:
          name: kube-web
        spec:
          workload:
            definition:
              apiVersion: apps/v1
              kind: Deployment
          schematic:
            cue:
              template: |
                import (
                    apps "kube/apps/v1"
                )
                output: apps.#Deployment
                output: {
                    spec: {
                        selector: matchLabels: "app.oam.dev/component": context.name
                        if parameter["replicas"] != _|_ {
                            replicas: parameter.replicas
                        }
                        template: {
                            metadata: labels: "app.oam.dev/component": context.name
                            spec: containers: [{
                                name:  context.name
                                image: parameter.image
                                if parameter["cmd"] != _|_ {
                                    command: parameter.cmd
                                }
                                ports: [{containerPort: parameter.port}]
                            }]
                        }
                    }
                }
                parameter: {
                    image: string
                    cmd?: [...string]
                    port: *80 | int
                    replicas?: int
                }
        """;

    [Fact]
    public async Task DefinitionImportingKubeAppsV1_RendersAndRollsOutFromThePlanesOpenApi()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyYamlAsync(ImportingDefinition);

        // Given an application of that type, rolled out to 5 pods in two batches
        await cluster.ApplyYamlAsync(Walkthrough.Application("metrics", "kube-web", Walkthrough.V1Image, replicas: 5, extraProperties: "        port: 8080\n"));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout("metrics", null, 1, "IncreaseFirst", "40%", "60%"));

        // Then the rollout succeeds, and the Deployment the package typed has the template's fields
        await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));
        var revision = (await cluster.GetAsync(ResourceKind.ApplicationRevision, Walkthrough.Revision(1)))!;
        var workload = revision["spec"]!["components"]![0]!["workload"]!;
        (workload["apiVersion"]!.GetValue<string>(), workload["kind"]!.GetValue<string>()).ShouldBe(("apps/v1", "Deployment"));
        var deployment = (await cluster.GetAsync(ResourceKind.Deployment, "metrics-v1"))!;
        deployment["spec"]!["replicas"]!.GetValue<int>().ShouldBe(5);
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>().ShouldBe(8080);
    }

    [Fact]
    public async Task KubeVelasDeploymentWalkthrough_TargetWithoutReplicas_ParksAtThreeOfFiveThenFinishes()
    {
        // KubeVela's documented Deployment rollout, in our words: a definition that imports kube/apps/v1, an application
        // whose revisions set no replicas, scaled to 5 by an AppRollout's targetSize, then v1 -> v2 in 10%, 2, 2 parked
        // by batchPartition: 1, then finished.
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyYamlAsync(ImportingDefinition);
        await cluster.ApplyYamlAsync(Walkthrough.Application("metrics", "kube-web", Walkthrough.V1Image, extraProperties: "        port: 8080\n"));
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout("metrics", null, 1, "IncreaseFirst", "5") + "    targetSize: 5\n");
        await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(1));
        ((await cluster.GetAsync(ResourceKind.Deployment, "metrics-v1"))!["spec"]!["replicas"]!.GetValue<int>()).ShouldBe(5);

        await cluster.ApplyYamlAsync(Walkthrough.Application("metrics", "kube-web", Walkthrough.V2Image, extraProperties: "        port: 8080\n"));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, Walkthrough.Revision(2)) is not null, what: () => "revision 2");
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout("metrics", 1, 2, "IncreaseFirst", "10%", "2", "2") + "    batchPartition: 1\n");

        // Then the size comes from the source workload (5, not the revision's missing replicas) and it parks at 3 of 5
        JsonNode? status = null;
        await Eventually.WaitUntilAsync(async () => (status = (await cluster.RolloutAsync())["status"]) is { } s
                && s["lastTargetAppRevision"]?.GetValue<string>() == Walkthrough.Revision(2) && s["batchRollingState"]?.GetValue<string>() == "batchReady"
                && s["currentBatch"]?.GetValue<int>() == 1 && s["upgradedReadyReplicas"]?.GetValue<int>() == 3,
            TimeSpan.FromSeconds(60), () => $"parked at 3 of 5: {status?.ToJsonString()}");
        status!["rolloutTargetSize"]!.GetValue<int>().ShouldBe(5);

        // When the partition goes (KubeVela's app-rollout-finish), it finishes with 5 pods on v2
        await cluster.ApplyYamlAsync(Walkthrough.AppRollout("metrics", 1, 2, "IncreaseFirst", "10%", "2", "2"));
        await cluster.WaitForStateAsync("rolloutSucceed", target: Walkthrough.Revision(2));
        ((await cluster.GetAsync(ResourceKind.Deployment, "metrics-v2"))!["spec"]!["replicas"]!.GetValue<int>()).ShouldBe(5);
        (await cluster.GetAsync(ResourceKind.Deployment, "metrics-v1")).ShouldBeNull();
    }

    [Fact]
    public async Task ImportOfAPackageThatDoesNotExist_IsRefusedNamingItAndNothingIsApplied()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyYamlAsync(ImportingDefinition.Replace("kube/apps/v1", "kube/apps/v9", StringComparison.Ordinal));
        await cluster.ApplyYamlAsync(Walkthrough.Application("metrics", "kube-web", Walkthrough.V1Image, replicas: 5).Replace("    \"app.oam.dev/rolling-components\": \"metrics\"\n    \"app.oam.dev/rollout-template\": \"true\"\n", "", StringComparison.Ordinal));

        JsonObject? app = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            app = await cluster.GetAsync(ResourceKind.Application, Walkthrough.App);
            return app?["status"]?["conditions"]?[0]?["reason"]?.GetValue<string>() == "RenderFailed";
        }, TimeSpan.FromSeconds(60), () => $"a RenderFailed condition; status {app?["status"]?.ToJsonString()}");
        app!["status"]!["conditions"]![0]!["message"]!.GetValue<string>().ShouldBe(
            "component \"metrics\": definition \"kube-web\": import \"kube/apps/v9\": no such package: the API server publishes no apps/v9 in its OpenAPI v3 (the API server's /openapi/v3)");
        (await cluster.GetAsync(ResourceKind.Deployment, "metrics")).ShouldBeNull();
        (await cluster.GetAsync(ResourceKind.ApplicationRevision, Walkthrough.Revision(1))).ShouldBeNull();
    }
}
