using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.EndToEnd.Tests.Support;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests;

/// <summary>
/// AppRollouts with <c>trafficRouting</c> run by the controllers on the embedded plane while simulated clients send requests
/// through the router: spec/traffic.md's invariants over the whole recorded history.
/// </summary>
public class TrafficRolloutTests
{
    private const string Population = "default/web";
    private const string V1 = "stefanprodan/podinfo:5.0.2";
    private const string V2 = "stefanprodan/podinfo:6.0.0";

    private static string App(string image, string? fault = null) => $"""
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
                image: {image}
                port: 8080
                replicas: 5
                updateStrategyType: InPlaceIfPossible
        {(fault is null ? "" : $"        annotations:\n          sim.sluice.dev/fault: {fault}\n")}
        """;

    private static string Service(string? mix = null) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations:
            sim.sluice.dev/rps: "2000"
        {(mix is null ? "" : $"    sim.sluice.dev/request-mix: \"{mix}\"\n")}spec:
          selector:
            app.oam.dev/component: web
          ports:
            - name: http
              port: 80
              targetPort: 8080
        """;

    private const string HttpRoute = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: shop}
        spec:
          gatewayClassName: any
          listeners: [{name: http, port: 80, protocol: HTTP}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{name: shop}]
          rules: [{backendRefs: [{name: web, port: 80}]}]
        """;

    private const string VirtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web}
        spec:
          hosts: [web]
          http: [{name: primary, route: [{destination: {host: web}}]}]
        """;

    private static string Rollout(string routing, string batches, string extra = "") => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: shop-web
        spec:
          sourceAppRevisionName: shop-v1
          targetAppRevisionName: shop-v2
          componentList: [web]
        {extra}  rolloutPlan:
            progressDeadlineSeconds: 60
            trafficRouting:
              service: web
        {routing}
            rolloutBatches:
        {batches}
        """;

    /// <summary>v1 (5 pods) brought up, its Service and route applied, clients sending; v2's revision ready to roll.</summary>
    private static async Task<TrafficCluster> GivenV1Async(string route, string? mix = null, string? v2Fault = null)
    {
        var traffic = await TrafficCluster.StartAsync(controllers: true);
        var cluster = traffic.Cluster;
        await cluster.ApplyYamlAsync(App(V1) + "---\n" + """
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata: {name: shop-web}
            spec:
              targetAppRevisionName: shop-v1
              componentList: [web]
              rolloutPlan: {rolloutBatches: [{replicas: 100%}]}
            """);
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-web", timeout: TimeSpan.FromSeconds(90));
        await cluster.ApplyYamlAsync(Service(mix) + "\n---\n" + route);
        await cluster.ApplyYamlAsync(App(V2, v2Fault));
        await Eventually.WaitUntilAsync(async () => await cluster.GetAsync(ResourceKind.ApplicationRevision, "shop-v2") is not null, what: () => "revision shop-v2");
        await traffic.SendAsync(Population, 500);
        return traffic;
    }

    private static int HttpRouteWeight(JsonObject route) =>
        (route["spec"]?["rules"] as JsonArray ?? []).SelectMany(r => r?["backendRefs"] as JsonArray ?? [])
            .Where(b => b?["name"]?.GetValue<string>() == "web-canary").Select(b => b?["weight"]?.GetValue<int>() ?? 0).DefaultIfEmpty(0).Max();

    private static long Version(JsonObject? obj) => long.Parse(obj!["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task WeightedCanary_ThroughHttpRoute_FollowsEveryWeightFailsNoRequestAndPutsTheRouteBack()
    {
        await using var traffic = await GivenV1Async(HttpRoute);
        var cluster = traffic.Cluster;
        await using var routes = cluster.Record("gateway.networking.k8s.io", "httproutes");
        await using var services = cluster.Record("", "services");

        // When a canary goes 10% (1 pod, with a 20% mirror), 50% (2 pods), then all
        await cluster.ApplyYamlAsync(Rollout("      gatewayAPI: {httpRoutes: [web]}", """
                  - {replicas: 1, traffic: 10%, mirror: 20%, pause: {duration: 3s}}
                  - {replicas: 1, traffic: 50%, pause: {duration: 3s}}
                  - {replicas: 3}
            """));

        // Then it succeeds with every pod on v2
        await cluster.WaitForStateAsync("rolloutSucceed", "shop-web", target: "shop-v2", timeout: TimeSpan.FromSeconds(120));
        await traffic.SendAsync(Population, 500);
        var report = traffic.Report();
        var promoted = services.States.First(s => s.Objects.TryGetValue("web", out var svc)
            && svc["spec"]?["selector"]?["rollout.sluice.dev/template-hash"]?.GetValue<string>() is { } hash
            && hash == cluster.Plane.Store.List(new("core.oam.dev", "approllouts"), "default").Items[0]["status"]?["targetGeneration"]?.GetValue<string>()).Version;

        // And no request failed, v2's share followed each weight written until the stable Service was promoted, the mirror
        // copied 20%, the weights went 0, 10, 50, 100 in order
        TrafficInvariants.NoRequestFailedByTheRollout(report, Population);
        var written = WrittenWeights.HttpRoute(routes, "web", "web", "web-canary");
        TrafficInvariants.ShareFollowsWeights(report, Population, "shop-v2", s => s.Versions.GetValueOrDefault("Service default/web") < promoted ? written(s) : null);
        TrafficInvariants.MirrorShare(report, Population, "shop-v2", WrittenWeights.HttpRouteMirror(routes, "web", "web", "web-canary"));
        TrafficInvariants.WeightsFollowThePlan(WrittenWeights.Sequence(routes, "web", HttpRouteWeight), [0, 10, 50, 100]);

        // And the route and the Service ended exactly as they began, the canary Service is gone, every request is on v2
        TrafficInvariants.EndsAsItBegan(routes, "web", r => new JsonArray(r["spec"]?.DeepClone(), r["metadata"]?["annotations"]?.DeepClone()));
        TrafficInvariants.EndsAsItBegan(services, "web", s => new JsonArray(s["spec"]?["selector"]?.DeepClone(), s["metadata"]?["annotations"]?.DeepClone()));
        (await cluster.GetAsync(ResourceKind.Service, "web-canary")).ShouldBeNull();
        report.Population("default", "web")!.Segments[^1].ShareOf("shop-v2").ShouldBe(100);
    }

    [Fact]
    public async Task ABTest_ByHeaderThroughVirtualService_ThenAborted_TestersOnlyOnTheTargetAndTrafficBackBeforeThePods()
    {
        await using var traffic = await GivenV1Async(VirtualService, mix: "20% header x-beta=true");
        var cluster = traffic.Cluster;
        await using var virtualServices = cluster.Record("networking.istio.io", "virtualservices");
        await using var cloneSets = cluster.Record("apps.kruise.io", "clonesets");

        // When testers (x-beta: true) go to v2 at weight 0, held there until promoted
        await cluster.ApplyYamlAsync(Rollout("      istio: {virtualServices: [{name: web, routes: [primary]}]}", """
                  - replicas: 1
                    traffic: 0%
                    matches: [{headers: [{name: x-beta, exact: "true"}]}]
                    pause: {}
                  - {replicas: 4}
            """));
        await Eventually.WaitUntilAsync(async () => (await cluster.RolloutAsync("shop-web"))["status"]?["batchRollingState"]?.GetValue<string>() == "batchPausing",
            TimeSpan.FromSeconds(60), () => "the A/B batch holding");
        var abVersion = Version(await cluster.GetAsync(TrafficKinds.VirtualService, "web"));
        await traffic.SendAsync(Population, 2000);

        // And then it is aborted
        await cluster.Kubectl.RunAsync("annotate", "approllout", "shop-web", "rollout.sluice.dev/abort=true");
        await cluster.WaitForStateAsync("rolloutFailed", "shop-web", target: "shop-v2", timeout: TimeSpan.FromSeconds(90));
        await traffic.SendAsync(Population, 500);
        var report = traffic.Report();

        // Then testers reached only v2 and everyone else only v1, no request failed, and the VirtualService ended as it began
        TrafficInvariants.NoRequestFailedByTheRollout(report, Population);
        TrafficInvariants.MatchesReachOnly(report, Population, "header x-beta=true", "shop-v2", s => s.Versions.GetValueOrDefault("VirtualService default/web") == abVersion, source: "shop-v1");
        TrafficInvariants.EndsAsItBegan(virtualServices, "web", v => v["spec"]);

        // And the matches were taken off the route before the CloneSet's template went back to v1
        var back = virtualServices.States.First(s => s.Version > abVersion && s.Objects.TryGetValue("web", out var vs) && (vs["spec"]!["http"] as JsonArray)!.Count == 1).Version;
        var reverted = cloneSets.States.First(s => s.Objects.TryGetValue("web", out var cs) && cs["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>() == "shop-v1"
            && s.Version > abVersion).Version;
        back.ShouldBeLessThan(reverted);
        (await cluster.GetAsync(ResourceKind.Service, "web-canary")).ShouldBeNull();
    }

    [Fact]
    public async Task Canary_TargetNeverReady_SendsItNoRequestAndRollsBack()
    {
        await using var traffic = await GivenV1Async(HttpRoute, v2Fault: "never-ready");
        var cluster = traffic.Cluster;
        await using var routes = cluster.Record("gateway.networking.k8s.io", "httproutes");

        await cluster.ApplyYamlAsync(Rollout("      gatewayAPI: {httpRoutes: [web]}", """
                  - {replicas: 1, traffic: 10%}
                  - {replicas: 4}
            """).Replace("progressDeadlineSeconds: 60", "progressDeadlineSeconds: 4", StringComparison.Ordinal));

        await cluster.WaitForStateAsync("rolloutFailed", "shop-web", target: "shop-v2", timeout: TimeSpan.FromSeconds(90));
        await traffic.SendAsync(Population, 500);
        var report = traffic.Report();

        TrafficInvariants.NoRequestFailedByTheRollout(report, Population);
        WrittenWeights.Sequence(routes, "web", HttpRouteWeight).ShouldAllBe(w => w == 0);
        report.Population("default", "web")!.Segments.Sum(s => s.ShareOf("shop-v2") > 0 ? 1 : 0).ShouldBe(0);
        TrafficInvariants.EndsAsItBegan(routes, "web", r => r["spec"]);
    }

    [Fact]
    public async Task Canary_RouteThatDoesNotExist_FailsNamingItAndTouchesNothing()
    {
        await using var traffic = await GivenV1Async(HttpRoute);
        var cluster = traffic.Cluster;
        var before = Version(await cluster.GetAsync(ResourceKind.CloneSet, "web"));

        await cluster.ApplyYamlAsync(Rollout("      gatewayAPI: {httpRoutes: [missing]}", "        - {replicas: 1, traffic: 10%}\n        - {replicas: 4}\n"));

        var failed = await cluster.WaitForStateAsync("rolloutFailed", "shop-web", target: "shop-v2");
        var condition = (failed["status"]!["conditions"] as JsonArray)!.First(c => c!["type"]!.GetValue<string>() == "RolloutFailed")!;
        condition["reason"]!.GetValue<string>().ShouldBe("InvalidTrafficPlan");
        condition["message"]!.GetValue<string>().ShouldContain("missing");
        Version(await cluster.GetAsync(ResourceKind.CloneSet, "web")).ShouldBe(before);
        (await cluster.GetAsync(ResourceKind.Service, "web-canary")).ShouldBeNull();
    }
}
