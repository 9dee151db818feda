using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// A workload kind nobody here wrote an adapter for (the made-up example.com/v1 Widget of examples/custom-kind, whose
/// fields are its own and whose partition counts from the bottom), declared by a WorkloadKind: it rolls up, upgrades in
/// batches behind batchPartition, and fails and rolls back as a CloneSet does; a declaration that does not fit is refused
/// with the field named, and a rollout of it fails before anything is touched.
/// </summary>
public class DeclaredKindRolloutTests
{
    private const string App = "gadgets";
    private const string Component = "gadget";
    private const string V1 = "stefanprodan/podinfo:4.0.6";
    private const string V2 = "stefanprodan/podinfo:5.0.2";
    private const string V3 = "stefanprodan/podinfo:6.0.0";
    private const int Total = 5;

    public static readonly ResourceKind Widget = new("example.com", "v1", "Widget", "widgets");

    private static readonly ResourceKind WorkloadKind = new("rollout.sluice.dev", "v1alpha1", "WorkloadKind", "workloadkinds", Namespaced: false);

    public static string Example(string file) => Path.Combine(RepoPaths.Root, "examples", "custom-kind", file);

    /// <summary>The Widget application at <paramref name="image"/>, its pods never ready when <paramref name="fault"/>.</summary>
    public static string Application(string image, bool fault = false) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {App}
          annotations:
            "app.oam.dev/rollout-template": "true"
        spec:
          components:
            - name: {Component}
              type: widget
              properties:
                image: {image}
                port: 8080
                replicas: {Total}
        {(fault ? "        annotations:\n          sim.sluice.dev/fault: never-ready\n" : "")}
        """;

    private static string Rollout(int? source, int target, string extra = "") => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: {App}
        spec:
        {(source is { } s ? $"  sourceAppRevisionName: {App}-v{s}\n" : "")}  targetAppRevisionName: {App}-v{target}
          componentList: [{Component}]
          rolloutPlan:
            rolloutBatches:
              - replicas: 1
              - replicas: 50%
              - replicas: 50%
        {extra}
        """;

    /// <summary>Waits for the WorkloadKind's Accepted condition to be <paramref name="status"/>; returns its message.</summary>
    public static async Task<string> AcceptedAsync(TestCluster cluster, string name, string status)
    {
        JsonObject? condition = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            var declaration = await cluster.Api.GetAsync(WorkloadKind, null, name, CancellationToken.None);
            condition = (declaration?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Accepted");
            return condition?["status"]?.GetValue<string>() == status;
        }, TimeSpan.FromSeconds(30), () => $"WorkloadKind {name} Accepted={status}; it is {condition?.ToJsonString() ?? "(no condition)"}");
        return condition!["message"]!.GetValue<string>();
    }

    private static string? TemplateRevision(JsonObject widget) => widget["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>();

    private static int Upgraded(JsonObject widget) => widget["spec"]?["rollout"]?["upgraded"]?.GetValue<int>() ?? 0;

    [Fact]
    public async Task Widget_DeclaredByAWorkloadKind_RollsInBatchesBehindThePartitionAndRollsBackLikeACloneSet()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var widgets = cluster.Record("example.com", "widgets");
        await using var pods = cluster.Record("", "pods");

        // Given the Widget's CRD, its WorkloadKind and a component type rendering it
        await cluster.ApplyAsync(Example("01-widget-crd.yaml"), Example("02-workloadkind.yaml"), Example("03-widget-definition.yaml"));
        (await AcceptedAsync(cluster, "widgets.example.com", "True")).ShouldContain("spec.rollout.upgraded (pods moved to the new revision)");

        // When v1 is brought up from nothing in batches of 1, 50%, 50%
        await cluster.ApplyYamlAsync(Application(V1));
        await cluster.ApplyYamlAsync(Rollout(null, 1));
        await cluster.WaitForStateAsync("rolloutSucceed", App, $"{App}-v1");

        // Then the Widget was asked for 1, then 4, then 5 pods, on its own field
        widgets.Track(Component, w => w["spec"]?["size"]?.GetValue<int>() ?? -1).ShouldBe([1, 4, 5]);

        // When v2 rolls in place in the same batches, held after the second by batchPartition: 1
        await cluster.ApplyYamlAsync(Application(V2));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, $"{App}-v2") is not null, what: () => $"{App}-v2");
        await cluster.ApplyYamlAsync(Rollout(1, 2, "    batchPartition: 1\n"));
        JsonNode? status = null;
        await Eventually.WaitUntilAsync(async () => (status = (await cluster.RolloutAsync(App))["status"]) is { } s
                && s["lastTargetAppRevision"]?.GetValue<string>() == $"{App}-v2" && s["currentBatch"]?.GetValue<int>() == 1
                && s["batchRollingState"]?.GetValue<string>() == "batchReady" && s["upgradedReadyReplicas"]?.GetValue<int>() == 4,
            TimeSpan.FromSeconds(60), () => $"v2 held after batch 2; status {status?.ToJsonString()}");

        // Then it stands with 4 pods on v2 and 1 on v1, and nothing moves while held
        var images = LiveImages(pods);
        (images.GetValueOrDefault(V1), images.GetValueOrDefault(V2)).ShouldBe((1, 4));

        // When the partition is raised, the rollout finishes: the Widget was asked for 1, 4, 5 pods on v2, counted from the bottom
        await cluster.Api.MergePatchAsync(ResourceKind.AppRollout, "default", App,
            JsonNode.Parse("""{"spec":{"rolloutPlan":{"batchPartition":2}}}""")!.AsObject(), null, CancellationToken.None);
        await cluster.WaitForStateAsync("rolloutSucceed", App, $"{App}-v2");
        widgets.Track(Component, w => TemplateRevision(w) == $"{App}-v2" ? Upgraded(w) : -1).Where(u => u > 0).ShouldBe([1, 4, 5]);
        await Eventually.WaitUntil(() => LiveImages(pods).GetValueOrDefault(V2) == Total, TimeSpan.FromSeconds(20), "every pod on v2");

        // When a v3 whose pods never become ready rolls out (a deadline of 3 s)
        await cluster.ApplyYamlAsync(Application(V3, fault: true));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, $"{App}-v3") is not null, what: () => $"{App}-v3");
        await cluster.ApplyYamlAsync(Rollout(2, 3, "    progressDeadlineSeconds: 3\n"));

        // Then it fails at its first batch and every pod is back on v2 and ready, the Widget on v2's template
        var failed = await cluster.WaitForStateAsync("rolloutFailed", App, $"{App}-v3", TimeSpan.FromSeconds(60));
        failed["status"]!["currentBatch"]!.GetValue<int>().ShouldBe(0);
        await Eventually.WaitUntil(() => LiveImages(pods).GetValueOrDefault(V2) == Total && ReadyPods(pods) == Total, TimeSpan.FromSeconds(30),
            "every pod back on v2 and ready");
        TemplateRevision((await cluster.GetAsync(Widget, Component))!).ShouldBe($"{App}-v2");
        widgets.Track(Component, w => TemplateRevision(w) == $"{App}-v3" ? Upgraded(w) : -1).Where(u => u > 0).ShouldBe([1], "v3 never got past its first batch");
    }

    [Fact]
    public async Task WorkloadKind_ThatDoesNotFit_IsRefusedNamingTheFieldAndItsRolloutFailsBeforeTouchingAnything()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.ApplyAsync(Example("01-widget-crd.yaml"), Example("03-widget-definition.yaml"));

        // Given a declaration whose partition path is not in the Widget's schema
        var declaration = await File.ReadAllTextAsync(Example("02-workloadkind.yaml"));
        await cluster.ApplyYamlAsync(declaration.Replace("partition: spec.rollout.upgraded", "partition: spec.rollout.upgradedd", StringComparison.Ordinal));

        // Then it is refused with the field named
        (await AcceptedAsync(cluster, "widgets.example.com", "False")).ShouldBe(
            "spec.paths.partition: Invalid value: \"spec.rollout.upgradedd\": spec.rollout has no field upgradedd (it has: hold, upgraded) in the schema of widgets.example.com v1");

        // And a declaration with a style the paths cannot support is refused too
        await cluster.ApplyYamlAsync("""
            apiVersion: rollout.sluice.dev/v1alpha1
            kind: WorkloadKind
            metadata:
              name: gizmos.example.com
            spec:
              group: example.com
              version: v1
              kind: Gizmo
              style: TwoObject
              paths: {template: spec.template, partition: spec.partition}
              status: {observedGeneration: status.observedGeneration}
            """);
        (await AcceptedAsync(cluster, "gizmos.example.com", "False")).ShouldStartWith("spec.style: Unsupported value: \"TwoObject\"");

        // When an application of a Widget and its rollout are applied
        await cluster.ApplyYamlAsync(Application(V1));
        await cluster.ApplyYamlAsync(Rollout(null, 1));

        // Then the rollout fails in verifyingSpec with the declaration's refusal, and no Widget was created
        var failed = await cluster.WaitForStateAsync("rolloutFailed", App);
        var message = (failed["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>()
            .First(c => c["type"]!.GetValue<string>() == "RolloutSpecVerifying")["message"]!.GetValue<string>();
        message.ShouldBe("component \"gadget\" renders a Widget (example.com/v1): WorkloadKind widgets.example.com was refused: "
            + "spec.paths.partition: Invalid value: \"spec.rollout.upgradedd\": spec.rollout has no field upgradedd (it has: hold, upgraded) in the schema of widgets.example.com v1");
        (await cluster.GetAsync(Widget, Component)).ShouldBeNull();

        // When the declaration is corrected and the rollout made again, the Widget rolls up
        await cluster.ApplyAsync(Example("02-workloadkind.yaml"));
        await AcceptedAsync(cluster, "widgets.example.com", "True");
        await cluster.Kubectl.RunAsync("delete", "approllout", App, "--timeout=30s");
        await cluster.ApplyYamlAsync(Rollout(null, 1));
        await cluster.WaitForStateAsync("rolloutSucceed", App, $"{App}-v1");
    }

    private static Dictionary<string, int> LiveImages(ObjectHistory pods) =>
        pods.States[^1].Objects.Values.Where(p => p["metadata"]?["deletionTimestamp"] is null && PodFacts.OwnedBy(p, Component + "-"))
            .GroupBy(PodFacts.Image).ToDictionary(g => g.Key, g => g.Count());

    private static int ReadyPods(ObjectHistory pods) =>
        pods.States[^1].Objects.Values.Count(p => p["metadata"]?["deletionTimestamp"] is null && PodFacts.OwnedBy(p, Component + "-") && PodFacts.Ready(p));
}
