using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// Blue/green (traffic.md) run by the controllers while simulated clients send through the active Service: the target
/// comes up beside the source, the active Service switches in one write once the target is fully ready, the source stays
/// up for the delay and then goes; an abort after the switch switches back before the target's pods go.
/// </summary>
public class BlueGreenRolloutTests
{
    private const string Population = "default/pay";

    private static string App(string type, string image) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: checkout
          annotations:
            app.oam.dev/rolling-components: pay
            app.oam.dev/rollout-template: "true"
        spec:
          components:
            - name: pay
              type: {type}
              properties:
                image: {image}
        {(type == "worker" ? "" : "        port: 9898\n")}        replicas: 3

        """;

    private const string Services = """
        apiVersion: v1
        kind: Service
        metadata:
          name: pay
          annotations:
            sim.sluice.dev/rps: "1000"
        spec:
          selector:
            app.oam.dev/component: pay
          ports:
            - name: http
              port: 80
              targetPort: 9898

        """;

    private static string Rollout(string blueGreen) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: checkout-pay
        spec:
          sourceAppRevisionName: checkout-v1
          targetAppRevisionName: checkout-v2
          componentList: [pay]
          rolloutPlan:
            blueGreen:
        {blueGreen}
            rolloutBatches:
              - replicas: 1
              - replicas: 2

        """;

    private static async Task<TrafficCluster> GivenV1Async(string type)
    {
        var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        await cluster.ApplyYamlAsync(App(type, "stefanprodan/podinfo:5.0.2") + "---\n" + """
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata: {name: checkout-pay}
            spec:
              targetAppRevisionName: checkout-v1
              componentList: [pay]
              rolloutPlan: {rolloutBatches: [{replicas: 100%}]}
            """);
        await cluster.WaitForStateAsync("rolloutSucceed", "checkout-pay", timeout: TimeSpan.FromSeconds(90));
        await cluster.ApplyYamlAsync(Services);
        await cluster.ApplyYamlAsync(App(type, "stefanprodan/podinfo:6.0.0"));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "checkout-v2") is not null, what: () => "revision checkout-v2");
        await traffic.SendAsync(Population, 500);
        return traffic;
    }

    private static string? Pinned(JsonObject service) => service["spec"]?["selector"]?["rollout.sluice.dev/template-hash"]?.GetValue<string>();

    [Theory]
    [InlineData("worker")]
    [InlineData("clonesetservice")]
    public async Task BlueGreen_TargetUpBesideTheSource_SwitchesOnceAfterFullReadinessKeepsTheSourceThenEnds(string type)
    {
        await using var traffic = await GivenV1Async(type);
        var cluster = traffic.Cluster;
        await using var services = cluster.Record("", "services");
        await using var pods = cluster.Record("", "pods");

        await cluster.ApplyYamlAsync(Rollout("      activeService: pay\n      scaleDownDelaySeconds: 3\n"));
        await cluster.WaitForStateAsync("rolloutSucceed", "checkout-pay", target: "checkout-v2", timeout: TimeSpan.FromSeconds(120));
        await traffic.SendAsync(Population, 500);
        var report = traffic.Report();
        var rollout = await cluster.RolloutAsync("checkout-pay");
        var targetHash = rollout["status"]!["targetGeneration"]!.GetValue<string>();

        // Then no request failed, and clients reached v2 only after the one switch of the active Service
        TrafficInvariants.NoRequestFailedByTheRollout(report, Population);
        var pins = services.Track("pay", Pinned);
        pins.Where(p => p is not null).Distinct().Count().ShouldBe(2, $"the active Service pinned to v1, then switched once to v2: {string.Join(", ", pins)}");
        var switchedAt = services.States.First(s => s.Objects.TryGetValue("pay", out var svc) && Pinned(svc) == targetHash).Version;

        // And at the switch every v2 pod was ready, and the v1 pods were still up after it
        var atSwitch = pods.States.Last(s => s.Version <= switchedAt).Objects.Values.ToList();
        atSwitch.Count(p => PodFacts.Image(p) == "stefanprodan/podinfo:6.0.0" && PodFacts.Ready(p)).ShouldBe(3);
        atSwitch.Count(p => PodFacts.Image(p) == "stefanprodan/podinfo:5.0.2" && PodFacts.Ready(p)).ShouldBe(3);
        report.Population("default", "pay")!.Segments.Where(s => s.Versions.GetValueOrDefault("Service default/pay") < switchedAt)
            .ShouldAllBe(s => s.ShareOf("checkout-v2") == 0, "no client reached v2 before the switch");

        // And the Service ends as it began (no pin), the preview Service the rollout created is gone, only v2 runs
        services.Track("pay", s => s["spec"]?["selector"]?.ToJsonString()).First().ShouldBe(services.Track("pay", s => s["spec"]?["selector"]?.ToJsonString()).Last());
        (await cluster.GetAsync(ResourceKind.Service, "pay-preview")).ShouldBeNull();
        await Eventually.WaitUntil(() => pods.States[^1].Objects.Values.All(p => PodFacts.Image(p) == "stefanprodan/podinfo:6.0.0"), TimeSpan.FromSeconds(30), "only v2 pods");
    }

    [Fact]
    public async Task BlueGreen_AbortedAfterTheSwitch_SwitchesBackBeforeTheTargetsPodsGo()
    {
        await using var traffic = await GivenV1Async("worker");
        var cluster = traffic.Cluster;
        await using var services = cluster.Record("", "services");
        await using var deployments = cluster.Record("apps", "deployments");

        await cluster.ApplyYamlAsync(Rollout("      activeService: pay\n      scaleDownDelaySeconds: 600\n"));
        await cluster.WaitForStateAsync("scalingDownSource", "checkout-pay", target: "checkout-v2", timeout: TimeSpan.FromSeconds(120));
        await traffic.SendAsync(Population, 500);

        await cluster.Kubectl.RunAsync("annotate", "approllout", "checkout-pay", "rollout.sluice.dev/abort=true");
        await cluster.WaitForStateAsync("rolloutFailed", "checkout-pay", target: "checkout-v2", timeout: TimeSpan.FromSeconds(90));
        await traffic.SendAsync(Population, 500);

        TrafficInvariants.NoRequestFailedByTheRollout(traffic.Report(), Population);
        var v1Hash = services.Track("pay", Pinned).First(p => p is not null);
        var switched = services.States.First(s => s.Objects.TryGetValue("pay", out var svc) && Pinned(svc) is { } hash && hash != v1Hash).Version;
        var switchedBack = services.States.First(s => s.Version > switched && s.Objects.TryGetValue("pay", out var svc) && Pinned(svc) == v1Hash).Version;
        var targetDown = deployments.States.FirstOrDefault(s => s.Version > switchedBack - 1 && s.Objects.TryGetValue("pay-v2", out var d) && Walkthrough.Replicas(d) == 0).Version;
        targetDown.ShouldBeGreaterThan(0, $"pay-v2 scaled to 0 after the switch back at {switchedBack}: {string.Join("; ", deployments.Track("pay-v2", d => $"{Walkthrough.Replicas(d)}@{d["metadata"]!["resourceVersion"]}"))}; pins {string.Join(", ", services.Track("pay", s => $"{Pinned(s)}@{s["metadata"]!["resourceVersion"]}"))}");
        switchedBack.ShouldBeLessThan(targetDown);
        (await cluster.GetAsync(ResourceKind.Deployment, "pay-v1")).ShouldNotBeNull();
    }
}
