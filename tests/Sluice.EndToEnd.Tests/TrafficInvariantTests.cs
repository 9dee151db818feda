using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.EndToEnd.Tests.Support;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// The traffic invariants of spec traffic.md, checked over recorded history while simulated clients send: the routers are
/// driven directly (as the engine will drive them) against workloads on the embedded plane, and the helpers of
/// <see cref="TrafficInvariants"/> check what the data plane measured against what the routes held.
/// </summary>
public class TrafficInvariantTests
{
    private const string Population = "default/web";

    private static readonly TrafficMatch Beta = new() { Headers = [new HeaderMatch { Name = "x-beta", Exact = "true" }] };

    [Fact]
    public async Task CanaryThroughHttpRoute_WeightsThenMirrorThenPromotion_NoFailureAndEveryShareFollowsItsWeight()
    {
        await using var traffic = await TrafficCluster.StartAsync();
        var cluster = traffic.Cluster;
        await using var routes = cluster.Record("gateway.networking.k8s.io", "httproutes");
        await using var services = cluster.Record("", "services");

        // Given v1 (3 pods) behind Service web, reached through an HTTPRoute on a Gateway, and v2 with no pod yet
        await GivenV1Async(traffic, 3, ServiceYaml("web", 2000, null) + """
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: public}
            spec:
              gatewayClassName: any
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: public}]
              hostnames: [shop.example.com]
              rules: [{backendRefs: [{name: web, port: 80}]}]
            """);
        var target = Target(traffic, new TrafficRouting { Service = "web", GatewayApi = new GatewayApiRouting { HttpRoutes = ["web"] } });

        // When the rollout pins the Services and writes 0%, brings v2's pods up, then writes 10%, 50% with a 20% mirror, and 100%
        await traffic.StepAsync(target, [new PinServices("hash-v1", "hash-v2"), new RouteTraffic(0, [], 0)], Population);
        await ScaleV2Async(traffic, 2);
        await traffic.StepAsync(target, [new RouteTraffic(10, [], 0)], Population, 1000);
        await traffic.StepAsync(target, [new RouteTraffic(50, [], 20)], Population, 1000);
        await traffic.StepAsync(target, [new RouteTraffic(100, [], 0)], Population);

        // And on success points the stable Service at v2, lets v1 go, and resets the routes
        await traffic.StepAsync(target, [new PromoteStable("hash-v2")], Population);
        var promoted = Version(await cluster.GetAsync(ResourceKind.Service, "web"));
        await ScaleAsync(cluster, "web-v1", 0);
        await Sluice.Testing.Eventually.WaitUntil(() => cluster.Plane.Store.List(new("", "pods"), "default").Items.All(p => !p["metadata"]!["name"]!.GetValue<string>().StartsWith("web-v1", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "v1's pods to go");
        await traffic.StepAsync(target, [new ResetTraffic()], Population);
        var report = traffic.Report();

        // Then no request failed, the share of v2 followed every weight written (0 before its pods were ready), the mirror copied 20%
        TrafficInvariants.NoRequestFailedByTheRollout(report, Population);
        var written = WrittenWeights.HttpRoute(routes, "web", "web", "web-canary");
        TrafficInvariants.ShareFollowsWeights(report, Population, "web-v2", s => s.Versions.GetValueOrDefault("Service default/web") < promoted ? written(s) : null);
        TrafficInvariants.MirrorShare(report, Population, "web-v2", WrittenWeights.HttpRouteMirror(routes, "web", "web", "web-canary"));
        TrafficInvariants.WeightsFollowThePlan(WrittenWeights.Sequence(routes, "web", r => HttpRouteWeight(r)), [0, 10, 50, 100]);

        // And the route and the Service ended as they began (the canary Service is gone), with every request now on v2
        TrafficInvariants.EndsAsItBegan(routes, "web", r => new JsonArray(r["spec"]?.DeepClone(), r["metadata"]?["annotations"]?.DeepClone()));
        TrafficInvariants.EndsAsItBegan(services, "web", s => new JsonArray(s["spec"]?["selector"]?.DeepClone(), s["metadata"]?["annotations"]?.DeepClone()));
        (await cluster.GetAsync(ResourceKind.Service, "web-canary")).ShouldBeNull();
        report.Population("default", "web")!.Segments[^1].ShareOf("web-v2").ShouldBe(100);
    }

    [Fact]
    public async Task AbTestingThroughVirtualService_HeaderMatch_ReachesOnlyTheTargetAndOthersOnlyTheSource()
    {
        await using var traffic = await TrafficCluster.StartAsync();
        var cluster = traffic.Cluster;
        await using var virtualServices = cluster.Record("networking.istio.io", "virtualservices");
        await GivenV1Async(traffic, 2, ServiceYaml("web", 2000, "20% header x-beta=true") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web]
              http: [{name: primary, route: [{destination: {host: web}}]}]
            """);
        var target = Target(traffic, new TrafficRouting { Service = "web", Istio = new IstioRouting { VirtualServices = [new IstioVirtualService { Name = "web", Routes = ["primary"] }] } });

        // When the Services are pinned and v2's pod is up, testers (x-beta: true) are sent to v2 at weight 0, then everyone else at 30%
        await traffic.StepAsync(target, [new PinServices("hash-v1", "hash-v2"), new RouteTraffic(0, [], 0)], Population);
        await ScaleV2Async(traffic, 1);
        await traffic.StepAsync(target, [new RouteTraffic(0, [Beta], 0)], Population, 1000);
        var abVersion = Version(await cluster.GetAsync(TrafficKinds.VirtualService, "web"));
        await traffic.StepAsync(target, [new RouteTraffic(30, [Beta], 0)], Population, 1000);
        var weightedVersion = Version(await cluster.GetAsync(TrafficKinds.VirtualService, "web"));

        // And it is aborted: all traffic back to v1 first, then v2's pod goes, then the routes and Services are reset
        await AbortAsync(traffic, target);
        var report = traffic.Report();

        // Then at weight 0 testers reached only v2 and the others only v1; at 30% testers still only v2, others 30% v2
        TrafficInvariants.NoRequestFailedByTheRollout(report, Population);
        TrafficInvariants.MatchesReachOnly(report, Population, "header x-beta=true", "web-v2", s => s.Versions.GetValueOrDefault("VirtualService default/web") == abVersion, source: "web-v1");
        TrafficInvariants.MatchesReachOnly(report, Population, "header x-beta=true", "web-v2", s => s.Versions.GetValueOrDefault("VirtualService default/web") == weightedVersion);
        TrafficInvariants.ShareFollowsWeights(report, Population, "web-v2", WrittenWeights.VirtualService(virtualServices, "web", "web", "web-canary"));
        TrafficInvariants.EndsAsItBegan(virtualServices, "web", v => v["spec"]);
    }

    [Fact]
    public async Task NginxCanary_CookieAndWeight_FollowNginxPrecedence()
    {
        await using var traffic = await TrafficCluster.StartAsync();
        var cluster = traffic.Cluster;
        await using var ingresses = cluster.Record("networking.k8s.io", "ingresses");
        await GivenV1Async(traffic, 2, ServiceYaml("web", 2000, "10% cookie beta=always") + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web}
            spec:
              ingressClassName: nginx
              rules:
              - host: shop.example.com
                http:
                  paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
            """);
        var target = Target(traffic, new TrafficRouting { Service = "web", Nginx = new NginxRouting { Ingress = "web" } });
        var cookie = new TrafficMatch { Cookie = new CookieMatch { Name = "beta", Value = "always" } };
        await traffic.StepAsync(target, [new PinServices("hash-v1", "hash-v2"), new RouteTraffic(0, [], 0)], Population);
        await ScaleV2Async(traffic, 1);

        await traffic.StepAsync(target, [new RouteTraffic(20, [cookie], 0)], Population, 2000);
        var abVersion = Version(await cluster.GetAsync(TrafficKinds.Ingress, "web-canary"));
        await AbortAsync(traffic, target);
        var report = traffic.Report();

        TrafficInvariants.NoRequestFailedByTheRollout(report, Population);
        TrafficInvariants.MatchesReachOnly(report, Population, "cookie beta=always", "web-v2", s => s.Versions.GetValueOrDefault("Ingress default/web-canary") == abVersion);
        TrafficInvariants.ShareFollowsWeights(report, Population, "web-v2", TrafficInvariants.ConfiguredWeight("web-canary"));
        TrafficInvariants.EndsAsItBegan(ingresses, "web", i => new JsonArray(i["spec"]?.DeepClone(), i["metadata"]?["annotations"]?.DeepClone()));
        (await cluster.GetAsync(TrafficKinds.Ingress, "web-canary")).ShouldBeNull();
    }

    [Fact]
    public async Task BlueGreenWithServices_SwitchIsOneWriteAfterFullReadiness_NoFailureAndSourceStillUp()
    {
        await using var traffic = await TrafficCluster.StartAsync();
        var cluster = traffic.Cluster;
        await using var services = cluster.Record("", "services");
        await GivenV1Async(traffic, 3, ServiceYaml("web", 2000, null));
        var target = Target(traffic, new RolloutPlan { BlueGreen = new BlueGreen { ActiveService = "web" }, RolloutBatches = [new RolloutBatch()] });

        // When the active Service is held on v1 and v2 comes up fully behind the preview Service, then the active one switches
        await traffic.StepAsync(target, [new PreviewTarget("hash-v1", "hash-v2")], Population);
        var previewing = Version(await cluster.GetAsync(ResourceKind.Service, "web"));
        await ScaleV2Async(traffic, 3);
        await traffic.SendAsync(Population, 1000);
        await traffic.StepAsync(target, [new SwitchActive("hash-v2")], Population, 1000);
        var switched = Version(await cluster.GetAsync(ResourceKind.Service, "web"));
        var v1Pods = cluster.Plane.Store.List(new("", "pods"), "default", Sluice.ControlPlane.Store.ObjectFilter.Parse("rollout.sluice.dev/revision=web-v1", null)).Items.Count;
        var report = traffic.Report();

        // Then v1 answered everything until the switch, v2 everything after it, the active selector changed hash in one write,
        // and the source was still up when it did
        TrafficInvariants.NoRequestFailedByTheRollout(report, Population);
        services.Track("web", s => s["spec"]?["selector"]?["rollout.sluice.dev/template-hash"]?.GetValue<string>() ?? "none").ShouldBe(["none", "hash-v1", "hash-v2"]);
        TrafficInvariants.ShareFollowsWeights(report, Population, "web-v2", s => s.Versions.GetValueOrDefault("Service default/web") switch
        {
            var v when v == previewing => 0,
            var v when v == switched => 100,
            _ => null,
        });
        v1Pods.ShouldBe(3);
        var preview = (await cluster.GetAsync(ResourceKind.Service, "web-preview"))!;
        preview["spec"]!["selector"]!["rollout.sluice.dev/template-hash"]!.GetValue<string>().ShouldBe("hash-v2");
    }

    [Fact]
    public async Task Invariants_WeightToARevisionWithoutReadyPods_AreReportedAsFailedByTheRollout()
    {
        await using var traffic = await TrafficCluster.StartAsync();
        var cluster = traffic.Cluster;
        await cluster.ApplyYamlAsync(Workload("web-v1", "hash-v1", 2) + Workload("web-v2", "hash-v2", 1, fault: "never-ready") + ServiceYaml("web", 2000, null) + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web]
              http: [{route: [{destination: {host: web}}]}]
            """);
        await RolloutObjectAsync(cluster);
        await traffic.WaitForReadyPodsAsync("rollout.sluice.dev/revision=web-v1", 2);
        var target = Target(traffic, new TrafficRouting { Service = "web", Istio = new IstioRouting { VirtualServices = [new IstioVirtualService { Name = "web" }] } });

        await traffic.StepAsync(target, [new PinServices("hash-v1", "hash-v2"), new RouteTraffic(10, [], 0)], Population);

        var error = Should.Throw<TrafficInvariantException>(() => TrafficInvariants.NoRequestFailedByTheRollout(traffic.Report(), Population));
        error.Message.ShouldContain("found no ready endpoint");
        error.Message.ShouldContain("web-canary");
        traffic.Report().Population("default", "web")!.Revision("web-v2").FailedNoEndpoint.ShouldBeGreaterThan(0);
    }

    private static TrafficTarget Target(TrafficCluster traffic, TrafficRouting routing) =>
        Target(traffic, new RolloutPlan { TrafficRouting = routing, RolloutBatches = [new RolloutBatch()] });

    /// <summary>The rollout <c>web-rollout</c> (created by <see cref="GivenV1Async"/>: what a router creates is owned by it, and the plane collects objects whose owner is gone).</summary>
    private static TrafficTarget Target(TrafficCluster traffic, RolloutPlan plan) =>
        new("default", "web-rollout", traffic.Cluster.Plane.Store.Get(new("core.oam.dev", "approllouts"), "default", "web-rollout")!["metadata"]!["uid"]!.GetValue<string>(), plan, "hash-v1", "hash-v2");

    private static int HttpRouteWeight(JsonObject route) =>
        HttpRouteRules.Read(route["spec"]?["rules"] as JsonArray ?? [], "web", "web-canary", "default").Weight;

    private static long Version(JsonObject? obj) => long.Parse(obj!["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static async Task ScaleAsync(TestCluster cluster, string deployment, int replicas) =>
        await cluster.Api.MergePatchAsync(ResourceKind.Deployment, "default", deployment, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, null, CancellationToken.None);

    /// <summary>v1 with <paramref name="pods"/> ready pods and v2 with none, then the Service (with its clients) and routing.</summary>
    private static async Task GivenV1Async(TrafficCluster traffic, int pods, string routing)
    {
        await traffic.Cluster.ApplyYamlAsync(Workload("web-v1", "hash-v1", pods) + Workload("web-v2", "hash-v2", 0));
        await traffic.WaitForReadyPodsAsync("rollout.sluice.dev/revision=web-v1", pods);
        await traffic.Cluster.ApplyYamlAsync(routing);
        await RolloutObjectAsync(traffic.Cluster);
    }

    /// <summary>The AppRollout <c>web-rollout</c> the routers act for (no controller runs here: it only owns what they create).</summary>
    private static Task RolloutObjectAsync(TestCluster cluster) => cluster.ApplyYamlAsync("""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata: {name: web-rollout}
        spec:
          targetAppRevisionName: web-v2
          rolloutPlan: {rolloutBatches: [{replicas: 1}]}
        """);

    /// <summary>v2 scaled to <paramref name="pods"/>, all ready.</summary>
    private static async Task ScaleV2Async(TrafficCluster traffic, int pods)
    {
        await ScaleAsync(traffic.Cluster, "web-v2", pods);
        await traffic.WaitForReadyPodsAsync("rollout.sluice.dev/revision=web-v2", pods);
    }

    /// <summary>An abort as spec traffic.md orders it: all traffic back to v1 first, then v2's pods go, then the reset.</summary>
    private static async Task AbortAsync(TrafficCluster traffic, TrafficTarget target)
    {
        await traffic.StepAsync(target, [RouteTraffic.AllToStable], Population);
        await ScaleAsync(traffic.Cluster, "web-v2", 0);
        await Sluice.Testing.Eventually.WaitUntil(
            () => !traffic.Cluster.Plane.Store.List(new("", "pods"), "default", Sluice.ControlPlane.Store.ObjectFilter.Parse("rollout.sluice.dev/revision=web-v2", null)).Items.Any(),
            TimeSpan.FromSeconds(60), "v2's pods to go");
        await traffic.StepAsync(target, [new ResetTraffic()], Population);
    }

    /// <summary>A Deployment of one revision, its pods stamped as a Sluice rollout stamps them.</summary>
    private static string Workload(string name, string hash, int replicas, string? fault = null) => $$"""
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{name}}}
        spec:
          replicas: {{replicas.ToString(CultureInfo.InvariantCulture)}}
          selector:
            matchLabels: {app: web, rollout.sluice.dev/template-hash: {{hash}}}
          template:
            metadata:
              labels: {app: web, rollout.sluice.dev/template-hash: {{hash}}, rollout.sluice.dev/revision: {{name}}}
              {{(fault is null ? "" : $"annotations: {{sim.sluice.dev/fault: {fault}}}")}}
            spec:
              containers: [{name: app, image: "podinfo:{{name}}"}]

        """;

    private static string ServiceYaml(string name, int rps, string? mix) => $$"""
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{name}}
          annotations:
            sim.sluice.dev/rps: "{{rps.ToString(CultureInfo.InvariantCulture)}}"
            {{(mix is null ? "" : $"sim.sluice.dev/request-mix: \"{mix}\"")}}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]

        """;
}
