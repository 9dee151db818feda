using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.ControlPlane.Resources;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Tests.Traffic;

public sealed class TrafficRoutersTests(TrafficPlane plane) : IClassFixture<TrafficPlane>
{
    private const string Objects = """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{name: public}]
          rules: [{backendRefs: [{name: web, port: 80}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web}
        spec:
          hosts: [web]
          http: [{route: [{destination: {host: web}}]}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          rules:
          - http:
              paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
        """;

    private static RolloutPlan Plan() => new()
    {
        TrafficRouting = new TrafficRouting
        {
            Service = "web",
            GatewayApi = new GatewayApiRouting { HttpRoutes = ["web"] },
            Istio = new IstioRouting { VirtualServices = [new IstioVirtualService { Name = "web" }] },
            Nginx = new NginxRouting { Ingress = "web" },
        },
        RolloutBatches = [new RolloutBatch { Traffic = "20%" }, new RolloutBatch()],
    };

    [Fact]
    public async Task WholeCanary_ThroughThreeRoutersAtOnce_EndsWithEverythingAsFoundAndNoRouteEverNamingAMissingService()
    {
        var ns = await plane.NamespaceAsync("all");
        await plane.ApplyAsync(ns, Objects);
        var routers = new TrafficRouters(plane.Patcher);
        var target = TrafficPlane.Target(ns, Plan());
        var originals = await SpecsAsync(ns);
        using var services = plane.Plane.Store.Watch(new GroupResource("", "services"), ns, plane.Plane.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture));

        (await routers.VerifyAsync(target, CancellationToken.None)).ShouldBeEmpty();
        await routers.ApplyAsync(target, [new PinServices("hash-v1", "hash-v2"), new RouteTraffic(20, [], 0)], CancellationToken.None);
        var during = await routers.ObserveAsync(target, CancellationToken.None);
        await routers.ApplyAsync(target, [new RouteTraffic(100, [], 0)], CancellationToken.None);
        await routers.ApplyAsync(target, [new PromoteStable("hash-v2")], CancellationToken.None);
        await routers.ApplyAsync(target, [new ResetTraffic()], CancellationToken.None);
        var routesRestoredAt = (await SpecsAsync(ns)).Skip(1).Max(s => s.Version);

        during.Routes.Select(r => (r.Kind, r.Weight)).ShouldBe([("HTTPRoute", 20), ("VirtualService", 20), ("Ingress", 20)]);
        during.Weight.ShouldBe(20);
        during.Service(ServiceRole.Canary)!.Exists.ShouldBeTrue();
        (await SpecsAsync(ns)).Select(s => s.Spec).ShouldBe(originals.Select(s => s.Spec));
        (await plane.Api.GetAsync(ResourceKind.Service, ns, "web-canary", CancellationToken.None)).ShouldBeNull();
        (await plane.Api.GetAsync(TrafficKinds.Ingress, ns, "web-canary", CancellationToken.None)).ShouldBeNull();
        var canaryDeleted = ReadAll(services).Single(e => e.Type == "DELETED" && e.Object["metadata"]!["name"]!.GetValue<string>() == "web-canary");
        canaryDeleted.ResourceVersion.ShouldBeGreaterThan(routesRestoredAt);
        (await routers.ObserveAsync(target, CancellationToken.None)).Touched.ShouldBeFalse();
    }

    [Fact]
    public async Task Verify_ThreeRouters_CollectsEveryProblem()
    {
        var ns = await plane.NamespaceAsync("all-bad");
        var routers = new TrafficRouters(plane.Patcher);

        var errors = await routers.VerifyAsync(TrafficPlane.Target(ns, Plan()), CancellationToken.None);

        errors.Select(e => e.Field).ShouldBe([
            "spec.rolloutPlan.trafficRouting.service",
            "spec.rolloutPlan.trafficRouting.gatewayAPI.httpRoutes[0]",
            "spec.rolloutPlan.trafficRouting.istio.virtualServices[0].name",
            "spec.rolloutPlan.trafficRouting.nginx.ingress",
        ]);
    }

    [Fact]
    public async Task Apply_PlanWithoutTrafficFields_TouchesNothing()
    {
        var ns = await plane.NamespaceAsync("none");
        var routers = new TrafficRouters(plane.Patcher);
        var writes = plane.Writes("services");

        await routers.ApplyAsync(TrafficPlane.Target(ns, new RolloutPlan()), [new RouteTraffic(50, [], 0), new ResetTraffic()], CancellationToken.None);

        plane.Writes("services").ShouldBe(writes);
        (await routers.ObserveAsync(TrafficPlane.Target(ns, new RolloutPlan()), CancellationToken.None)).ShouldBe(TrafficSnapshot.Empty);
    }

    private async Task<List<(string Spec, long Version)>> SpecsAsync(string ns)
    {
        var result = new List<(string, long)>();
        foreach (var kind in (ResourceKind[])[ResourceKind.Service, TrafficKinds.HttpRoute, TrafficKinds.VirtualService, TrafficKinds.Ingress])
        {
            var obj = await plane.GetAsync(kind, ns, "web");
            result.Add((obj["spec"]!.ToJsonString() + (obj["metadata"]!["annotations"]?.ToJsonString() ?? ""), long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private static List<Sluice.ControlPlane.Store.WatchEvent> ReadAll(Sluice.ControlPlane.Store.WatchSubscription watch)
    {
        var events = new List<Sluice.ControlPlane.Store.WatchEvent>();
        while (watch.Events.TryRead(out var change))
        {
            events.Add(change);
        }

        return events;
    }
}
