using System.Text.Json.Nodes;
using Sluice.Controllers.Traffic;
using Sluice.Controllers.Workloads;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Tests.Traffic;

public sealed class NginxIngressRouterTests(TrafficPlane plane) : IClassFixture<TrafficPlane>
{
    private const string Objects = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          labels: {app: web}
          annotations:
            nginx.ingress.kubernetes.io/proxy-body-size: 8m
        spec:
          ingressClassName: nginx
          rules:
          - host: shop.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service: {name: web, port: {number: 80}}
              - path: /admin
                pathType: Prefix
                backend:
                  service: {name: admin, port: {number: 80}}
        """;

    private static RolloutPlan Plan() => new()
    {
        TrafficRouting = new TrafficRouting { Service = "web", Nginx = new NginxRouting { Ingress = "web" } },
        RolloutBatches = [new RolloutBatch { Traffic = "10%" }, new RolloutBatch()],
    };

    [Fact]
    public async Task Apply_WeightHeaderAndCookie_CreatesTheCanaryIngressNginxReads()
    {
        var ns = await NamespaceAsync();
        var router = new NginxIngressRouter(plane.Patcher);
        var matches = new TrafficMatch[]
        {
            new() { Headers = [new HeaderMatch { Name = "x-beta", Exact = "true" }] },
            new() { Cookie = new CookieMatch { Name = "beta", Value = "always" } },
        };

        await router.ApplyAsync(TrafficPlane.Target(ns, Plan()), [new RouteTraffic(30, matches, 0)], CancellationToken.None);

        var canary = await plane.GetAsync(TrafficKinds.Ingress, ns, "web-canary");
        JsonNode.DeepEquals(canary["spec"], JsonNode.Parse("""
            {"ingressClassName":"nginx","rules":[{"host":"shop.example.com","http":{"paths":[
              {"path":"/","pathType":"Prefix","backend":{"service":{"name":"web-canary","port":{"number":80}}}}]}}]}
            """)).ShouldBeTrue(canary["spec"]!.ToJsonString());
        var annotations = canary["metadata"]!["annotations"]!;
        annotations[NginxCanary.Canary]!.GetValue<string>().ShouldBe("true");
        annotations[NginxCanary.Weight]!.GetValue<string>().ShouldBe("30");
        annotations[NginxCanary.ByHeader]!.GetValue<string>().ShouldBe("x-beta");
        annotations[NginxCanary.ByHeaderValue]!.GetValue<string>().ShouldBe("true");
        annotations[NginxCanary.ByCookie]!.GetValue<string>().ShouldBe("beta");
        canary["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>().ShouldBe("AppRollout");
        var observed = (await router.ObserveAsync(TrafficPlane.Target(ns, Plan()), CancellationToken.None)).Routes.ShouldHaveSingleItem();
        observed.Weight.ShouldBe(30);
        observed.Matches.Count.ShouldBe(2);
    }

    [Fact]
    public async Task MirrorThenReset_ChangesThePrimaryOnlyToMirrorAndPutsEverythingBack()
    {
        var ns = await NamespaceAsync();
        var router = new NginxIngressRouter(plane.Patcher);
        var target = TrafficPlane.Target(ns, Plan());
        var original = await plane.GetAsync(TrafficKinds.Ingress, ns, "web");

        await router.ApplyAsync(target, [new RouteTraffic(0, [], 100)], CancellationToken.None);
        var mirrored = await plane.GetAsync(TrafficKinds.Ingress, ns, "web");
        var observed = (await router.ObserveAsync(target, CancellationToken.None)).Routes.ShouldHaveSingleItem();
        await router.ApplyAsync(target, [new ResetTraffic()], CancellationToken.None);

        JsonPath.Annotation(mirrored, NginxCanary.MirrorTarget).ShouldBe($"http://web-canary.{ns}.svc.cluster.local:80$request_uri");
        observed.Mirror.ShouldBe(100);
        (await plane.Api.GetAsync(TrafficKinds.Ingress, ns, "web-canary", CancellationToken.None)).ShouldBeNull();
        var restored = await plane.GetAsync(TrafficKinds.Ingress, ns, "web");
        restored["spec"]!.ToJsonString().ShouldBe(original["spec"]!.ToJsonString());
        restored["metadata"]!["annotations"]!.ToJsonString().ShouldBe(original["metadata"]!["annotations"]!.ToJsonString());
    }

    [Fact]
    public async Task Verify_CanaryNameTakenByAnotherIngress_IsRefused()
    {
        var ns = await NamespaceAsync();
        await plane.ApplyAsync(ns, Objects.Replace("name: web\n  labels", "name: web-canary\n  labels", StringComparison.Ordinal));
        var router = new NginxIngressRouter(plane.Patcher);

        var errors = await router.VerifyAsync(TrafficPlane.Target(ns, Plan()), CancellationToken.None);

        errors.ShouldHaveSingleItem().Message.ShouldBe("spec.rolloutPlan.trafficRouting.nginx.ingress: Invalid value: \"web\": Ingress \"web-canary\" already exists and was not created by this rollout; the rollout needs that name for its canary Ingress");
    }

    [Fact]
    public async Task Verify_MirrorPercentOrQueryParams_AreRefusedByTheCapabilityCheck()
    {
        var ns = await NamespaceAsync();
        var router = new NginxIngressRouter(plane.Patcher);
        var plan = Plan() with
        {
            RolloutBatches =
            [
                new RolloutBatch { Mirror = "20%", Matches = [new TrafficMatch { QueryParams = [new QueryParamMatch { Name = "b", Exact = "1" }] }] },
                new RolloutBatch(),
            ],
        };

        var errors = await router.VerifyAsync(TrafficPlane.Target(ns, plan), CancellationToken.None);

        errors.Select(e => e.Field).ShouldBe(["spec.rolloutPlan.rolloutBatches[0].matches[0].queryParams", "spec.rolloutPlan.rolloutBatches[0].mirror"]);
    }

    private async Task<string> NamespaceAsync()
    {
        var ns = await plane.NamespaceAsync("nginx");
        await plane.ApplyAsync(ns, Objects);
        return ns;
    }
}
