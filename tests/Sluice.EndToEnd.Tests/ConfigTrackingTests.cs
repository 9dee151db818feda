using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Config tracking: a ConfigMap the component mounts is part of its revision. Changing it makes a revision that a following
/// rollout rolls in batches; the pods read immutable copies named by the data's hash, so the old pods keep the old data
/// until replaced and a rollback restores it; an opted-out ConfigMap's change makes no revision.
/// </summary>
public class ConfigTrackingTests
{
    private const string App = "site";
    private const string Component = "web";
    private const string Rollout = "site-follower";
    private const int Total = 5;

    private static readonly ResourceKind ConfigMap = ResourceKinds.For("v1", "ConfigMap");

    private static string ConfigMapYaml(string name, string key, string value, bool optOut = false) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
        {(optOut ? "  annotations:\n    rollout.sluice.dev/track: \"false\"\n" : "")}data:
          {key}: "{value}"
        """;

    private const string Application = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: site
          annotations:
            "app.oam.dev/rollout-template": "true"
        spec:
          components:
            - name: web
              type: clonesetservice
              properties:
                image: stefanprodan/podinfo:4.0.6
                port: 8080
                replicas: 5
                updateStrategyType: InPlaceIfPossible
              traits:
                - type: volumes
                  properties:
                    volumes:
                      - {name: config, type: configMap, cmName: web-config}
                      - {name: flags, type: configMap, cmName: web-flags}
        """;

    private const string Following = """
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: site-follower
        spec:
          follow:
            application: site
          componentList: [web]
          rolloutPlan:
            rolloutBatches:
              - replicas: 1
              - replicas: 2
              - replicas: 2
        """;

    private static string? Volume(JsonObject pod, string volume) =>
        (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(v => v["name"]?.GetValue<string>() == volume)?["configMap"]?["name"]?.GetValue<string>();

    private static string? TemplateRevision(JsonObject cloneSet) => cloneSet["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>();

    private static List<int> Asked(ObjectHistory cloneSets, string revision) =>
        [.. cloneSets.Track(Component, c => TemplateRevision(c) == revision
            ? (c["spec"]?["replicas"]?.GetValue<int>() ?? 0) - (c["spec"]?["updateStrategy"]?["partition"]?.GetValue<int>() ?? 0) : -1).Where(u => u > 0)];

    [Fact]
    public async Task ConfigMapChanged_RollsOutInBatchesOldPodsKeepTheOldDataRollbackRestoresItAndAnOptedOutOneChangesNothing()
    {
        await using var cluster = await TestCluster.StartAsync(podReadyDelay: "300ms..600ms");
        await using var cloneSets = cluster.Record("apps.kruise.io", "clonesets");
        await using var pods = cluster.Record("", "pods");

        // Given a tracked ConfigMap and an opted-out one, both mounted, and a rollout following the Application
        await cluster.ApplyYamlAsync(ConfigMapYaml("web-config", "greeting", "hello"));
        await cluster.ApplyYamlAsync(ConfigMapYaml("web-flags", "debug", "false", optOut: true));
        await cluster.ApplyYamlAsync(Application);
        await cluster.ApplyYamlAsync(Following);
        await cluster.WaitForStateAsync("rolloutSucceed", Rollout, $"{App}-v1");

        // Then the pods read a copy of the tracked one named by its data's hash, and the opted-out one by its own name
        var v1 = (await cluster.GetAsync(ResourceKind.ApplicationRevision, $"{App}-v1"))!;
        var hashes = JsonNode.Parse(v1["metadata"]!["annotations"]!["rollout.sluice.dev/config-hashes"]!.GetValue<string>())!.AsObject();
        hashes.Select(h => h.Key).ShouldBe(["ConfigMap/web-config"]);
        var oldCopy = $"web-config-{hashes["ConfigMap/web-config"]!.GetValue<string>()}";
        await Eventually.WaitUntil(() => LivePods(pods).Count(p => Volume(p, "config") == oldCopy && Volume(p, "flags") == "web-flags") == Total, TimeSpan.FromSeconds(30), "every pod on the v1 copy");
        (await DataAsync(cluster, oldCopy)).ShouldBe("hello");

        // When the opted-out ConfigMap changes, then the tracked one
        await cluster.ApplyYamlAsync(ConfigMapYaml("web-flags", "debug", "true", optOut: true));
        await cluster.ApplyYamlAsync(ConfigMapYaml("web-config", "greeting", "bonjour"));

        // Then one revision is made, for the tracked change, and rolled out in the plan's batches
        await cluster.WaitForStateAsync("rolloutSucceed", Rollout, $"{App}-v2", TimeSpan.FromSeconds(90));
        var revisions = await cluster.Api.ListAsync(ResourceKind.ApplicationRevision, "default", $"app.oam.dev/name={App}", CancellationToken.None);
        (revisions["items"] as JsonArray)!.Select(r => r!["metadata"]!["name"]!.GetValue<string>()).Order().ShouldBe([$"{App}-v1", $"{App}-v2"]);
        Asked(cloneSets, $"{App}-v2").ShouldBe([1, 3, 5]);
        var v2 = (await cluster.GetAsync(ResourceKind.ApplicationRevision, $"{App}-v2"))!;
        var newCopy = $"web-config-{JsonNode.Parse(v2["metadata"]!["annotations"]!["rollout.sluice.dev/config-hashes"]!.GetValue<string>())!["ConfigMap/web-config"]!.GetValue<string>()}";
        newCopy.ShouldNotBe(oldCopy);
        (await DataAsync(cluster, newCopy)).ShouldBe("bonjour");

        // And while it rolled, the old pods kept reading the old data (its copy never changed) beside new pods reading the new
        pods.States.ShouldContain(s => s.Objects.Values.Any(p => Volume(p, "config") == oldCopy) && s.Objects.Values.Any(p => Volume(p, "config") == newCopy),
            "a moment with pods on both copies");
        (await DataAsync(cluster, oldCopy)).ShouldBe("hello");
        await Eventually.WaitUntil(() => LivePods(pods).Count(p => Volume(p, "config") == newCopy) == Total, TimeSpan.FromSeconds(30), "every pod on the new copy");

        // When the rollout is undone (source and target swapped)
        await new SluiceCommand(cluster.Plane.KubeconfigPath).OkAsync("rollout", "undo", Rollout);

        // Then every pod reads the old data again, and the following rollout stays there
        await cluster.WaitForStateAsync("rolloutSucceed", Rollout, $"{App}-v1", TimeSpan.FromSeconds(90));
        await Eventually.WaitUntil(() => LivePods(pods).Count(p => Volume(p, "config") == oldCopy && PodFacts.Ready(p)) == Total, TimeSpan.FromSeconds(30), "every pod back on the old copy");
        (await cluster.RolloutAsync(Rollout))["spec"]!["targetAppRevisionName"]!.GetValue<string>().ShouldBe($"{App}-v1");
    }

    /// <summary>
    /// `sluice controller --no-config-tracking` (deploy/without-config-tracking): the pods read the ConfigMap by its own
    /// name, a change of it makes no revision, and the controller never lists, watches or creates a ConfigMap or Secret
    /// outside its notification settings, so every call it makes is granted by that install's roles.
    /// </summary>
    [Fact]
    public async Task TrackingOff_PodsReadTheConfigMapByNameItsChangeMakesNoRevisionAndTheInstallWithoutTrackingGrantsEveryCall()
    {
        await using var cluster = await TestCluster.StartAsync(controllers: false);
        var recorded = new RecordingKubeApi(cluster.Api);
        await cluster.Kubectl.RunAsync("create", "namespace", InstallManifest.Namespace);
        cluster.StartControllers("no-tracking", recorded, o => o with { ConfigTracking = false, LeaseNamespace = InstallManifest.Namespace, NotificationsNamespace = InstallManifest.Namespace });
        await using var pods = cluster.Record("", "pods");

        // Given a ConfigMap the pods mount and a rollout following the Application
        await cluster.ApplyYamlAsync(ConfigMapYaml("web-config", "greeting", "hello"));
        await cluster.ApplyYamlAsync(ConfigMapYaml("web-flags", "debug", "false"));
        await cluster.ApplyYamlAsync(Application);
        await cluster.ApplyYamlAsync(Following);
        await cluster.WaitForStateAsync("rolloutSucceed", Rollout, $"{App}-v1");

        // Then the pods read it by its own name, and the revision names no config hashes
        await Eventually.WaitUntil(() => LivePods(pods).Count(p => Volume(p, "config") == "web-config" && PodFacts.Ready(p)) == Total, TimeSpan.FromSeconds(30), "every pod on web-config");
        (await cluster.GetAsync(ResourceKind.ApplicationRevision, $"{App}-v1"))!["metadata"]?["annotations"]?["rollout.sluice.dev/config-hashes"].ShouldBeNull();

        // When the ConfigMap changes, and then the image (a change the controller does act on)
        await cluster.ApplyYamlAsync(ConfigMapYaml("web-config", "greeting", "bonjour"));
        await cluster.ApplyYamlAsync(Application.Replace("podinfo:4.0.6", "podinfo:4.0.7", StringComparison.Ordinal));
        await cluster.WaitForStateAsync("rolloutSucceed", Rollout, $"{App}-v2", TimeSpan.FromSeconds(90));

        // Then only the image made a revision: v2 is the newest, and no copy was ever made
        var revisions = await cluster.Api.ListAsync(ResourceKind.ApplicationRevision, "default", $"app.oam.dev/name={App}", CancellationToken.None);
        (revisions["items"] as JsonArray)!.Select(r => r!["metadata"]!["name"]!.GetValue<string>()).Order().ShouldBe([$"{App}-v1", $"{App}-v2"]);
        var configMaps = await cluster.Api.ListAsync(ConfigMap, "default", null, CancellationToken.None);
        (configMaps["items"] as JsonArray)!.Select(c => c!["metadata"]!["name"]!.GetValue<string>()).Where(n => n.StartsWith("web-", StringComparison.Ordinal))
            .Order().ShouldBe(["web-config", "web-flags"]);

        // And the controller touched ConfigMaps and Secrets only in its own namespace, within what that install grants
        recorded.Calls.Where(c => c.Resource is "configmaps" or "secrets" && c.Namespace != InstallManifest.Namespace && c.Verb != "get")
            .ShouldBeEmpty("ConfigMap and Secret calls outside the notification settings");
        var grants = InstallManifest.Grants(await InstallManifest.RenderAsync("without-config-tracking"));
        recorded.Calls.Where(call => !grants.Any(g => g.Allows(call))).Select(c => c.ToString()).ShouldBeEmpty("calls deploy/without-config-tracking does not grant");
    }

    private static async Task<string?> DataAsync(TestCluster cluster, string name) =>
        (await cluster.GetAsync(ConfigMap, name))?["data"]?["greeting"]?.GetValue<string>();

    private static List<JsonObject> LivePods(ObjectHistory pods) =>
        [.. pods.States[^1].Objects.Values.Where(p => p["metadata"]?["deletionTimestamp"] is null && PodFacts.OwnedBy(p, Component + "-"))];
}
