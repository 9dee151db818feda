using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.Core.Api;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Tests.Traffic;

public sealed class HttpRouteRouterTests(TrafficPlane plane) : IClassFixture<TrafficPlane>
{
    private const string Objects = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports:
          - {name: http, port: 80, targetPort: 8080}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
          annotations: {team: shop}
        spec:
          parentRefs:
          - name: public
          hostnames: [shop.example.com]
          rules:
          - backendRefs:
            - name: web
              port: 80
          - matches:
            - path: {type: PathPrefix, value: /admin}
            backendRefs:
            - name: admin
              port: 80
        """;

    private static readonly TrafficMatch Beta = new() { Headers = [new HeaderMatch { Name = "x-beta", Exact = "true" }] };
    private static readonly TrafficMatch BetaCookie = new() { Cookie = new CookieMatch { Name = "beta", Value = "always" } };

    private static RolloutPlan Plan() => new()
    {
        TrafficRouting = new TrafficRouting { Service = "web", GatewayApi = new GatewayApiRouting { HttpRoutes = ["web"] } },
        RolloutBatches = [new RolloutBatch { Traffic = "10%" }, new RolloutBatch()],
    };

    [Fact]
    public async Task Apply_WeightMatchesAndMirror_WritesTheRulesGatewayApiRoutesBy()
    {
        var ns = await plane.NamespaceAsync("hr-apply");
        await plane.ApplyAsync(ns, Objects);
        var router = new HttpRouteRouter(plane.Patcher);

        await router.ApplyAsync(TrafficPlane.Target(ns, Plan()), [new RouteTraffic(10, [Beta, BetaCookie], 20)], CancellationToken.None);

        var rules = (await plane.GetAsync(TrafficKinds.HttpRoute, ns, "web"))["spec"]!["rules"]!;
        JsonNode.DeepEquals(rules, JsonNode.Parse("""
            [
              {"matches":[
                 {"path":{"type":"PathPrefix","value":"/"},"headers":[{"type":"Exact","name":"x-beta","value":"true"}]},
                 {"path":{"type":"PathPrefix","value":"/"},"headers":[{"type":"RegularExpression","name":"Cookie","value":"^(.*;\\s*)?beta=always(;.*)?$"}]}],
               "backendRefs":[{"group":"","kind":"Service","name":"web-canary","port":80,"weight":1}]},
              {"matches":[{"path":{"type":"PathPrefix","value":"/"}}],
               "backendRefs":[{"group":"","kind":"Service","name":"web","port":80,"weight":90},{"group":"","kind":"Service","name":"web-canary","port":80,"weight":10}],
               "filters":[{"type":"RequestMirror","requestMirror":{"backendRef":{"group":"","kind":"Service","name":"web-canary","port":80},"percent":20}}]},
              {"matches":[{"path":{"type":"PathPrefix","value":"/admin"}}],"backendRefs":[{"group":"","kind":"Service","name":"admin","port":80,"weight":1}]}
            ]
            """)).ShouldBeTrue(rules.ToJsonString());
    }

    [Fact]
    public async Task Observe_AfterApply_ReportsWeightMatchesAndMirror()
    {
        var ns = await plane.NamespaceAsync("hr-observe");
        await plane.ApplyAsync(ns, Objects);
        var router = new HttpRouteRouter(plane.Patcher);
        var target = TrafficPlane.Target(ns, Plan());

        var before = (await router.ObserveAsync(target, CancellationToken.None)).Routes.ShouldHaveSingleItem();
        await router.ApplyAsync(target, [new RouteTraffic(35, [Beta], 5)], CancellationToken.None);
        var after = (await router.ObserveAsync(target, CancellationToken.None)).Routes.ShouldHaveSingleItem();

        before.ShouldBe(before with { Exists = true, Weight = 0, Mirror = 0, OriginalRecorded = false });
        after.Weight.ShouldBe(35);
        after.Mirror.ShouldBe(5);
        after.OriginalRecorded.ShouldBeTrue();
        after.Matches.ShouldHaveSingleItem().Headers!.ShouldHaveSingleItem().ShouldBe(Beta.Headers![0]);
    }

    [Fact]
    public async Task Reset_AfterSeveralSteps_PutsTheSpecBackByteForByte()
    {
        var ns = await plane.NamespaceAsync("hr-reset");
        await plane.ApplyAsync(ns, Objects);
        var router = new HttpRouteRouter(plane.Patcher);
        var target = TrafficPlane.Target(ns, Plan());
        var original = await plane.GetAsync(TrafficKinds.HttpRoute, ns, "web");

        await router.ApplyAsync(target, [new RouteTraffic(10, [], 0)], CancellationToken.None);
        await router.ApplyAsync(target, [new RouteTraffic(50, [Beta], 100)], CancellationToken.None);
        await router.ApplyAsync(target, [new RouteTraffic(100, [], 0)], CancellationToken.None);
        await router.ApplyAsync(target, [new ResetTraffic()], CancellationToken.None);

        var restored = await plane.GetAsync(TrafficKinds.HttpRoute, ns, "web");
        restored["spec"]!.ToJsonString().ShouldBe(original["spec"]!.ToJsonString());
        restored["metadata"]!["annotations"]!.ToJsonString().ShouldBe(original["metadata"]!["annotations"]!.ToJsonString());
        (await router.ObserveAsync(target, CancellationToken.None)).Routes[0].OriginalRecorded.ShouldBeFalse();
    }

    [Fact]
    public async Task Apply_SameIntentAgainOrSeveralInOneDecision_WritesTheRouteAtMostOnce()
    {
        var ns = await plane.NamespaceAsync("hr-once");
        await plane.ApplyAsync(ns, Objects);
        var router = new HttpRouteRouter(plane.Patcher);
        var target = TrafficPlane.Target(ns, Plan());
        var start = plane.Writes("httproutes");

        await router.ApplyAsync(target, [new RouteTraffic(10, [], 0), new RouteTraffic(20, [], 0)], CancellationToken.None);
        var afterFirst = plane.Writes("httproutes");
        await router.ApplyAsync(target, [new RouteTraffic(20, [], 0)], CancellationToken.None);

        (afterFirst - start).ShouldBe(1);
        plane.Writes("httproutes").ShouldBe(afterFirst);
        (await router.ObserveAsync(target, CancellationToken.None)).Routes[0].Weight.ShouldBe(20);
    }

    [Fact]
    public async Task Verify_RouteMissingOrNotSendingToTheService_NamesTheFieldAndTheRoute()
    {
        var ns = await plane.NamespaceAsync("hr-verify");
        await plane.ApplyAsync(ns, Objects);
        var router = new HttpRouteRouter(plane.Patcher);
        var plan = Plan() with
        {
            TrafficRouting = new TrafficRouting { Service = "admin-api", GatewayApi = new GatewayApiRouting { HttpRoutes = ["web", "missing"] } },
        };

        var errors = await router.VerifyAsync(TrafficPlane.Target(ns, plan), CancellationToken.None);

        errors.Select(e => e.Message).ShouldBe([
            "spec.rolloutPlan.trafficRouting.gatewayAPI.httpRoutes[0]: Invalid value: \"web\": no rule of the HTTPRoute has a backendRef to Service \"admin-api\"",
            $"spec.rolloutPlan.trafficRouting.gatewayAPI.httpRoutes[1]: Not found: HTTPRoute \"missing\" in namespace \"{ns}\"",
        ]);
    }

    [Fact]
    public async Task Verify_RouteHeldByAnotherRollout_IsRefusedAndApplyTouchesNothing()
    {
        var ns = await plane.NamespaceAsync("hr-held");
        await plane.ApplyAsync(ns, Objects);
        var router = new HttpRouteRouter(plane.Patcher);
        await router.ApplyAsync(TrafficPlane.Target(ns, Plan(), name: "other"), [new RouteTraffic(10, [], 0)], CancellationToken.None);
        var held = await plane.GetAsync(TrafficKinds.HttpRoute, ns, "web");

        var errors = await router.VerifyAsync(TrafficPlane.Target(ns, Plan()), CancellationToken.None);
        await Should.ThrowAsync<InvalidOperationException>(() => router.ApplyAsync(TrafficPlane.Target(ns, Plan()), [new RouteTraffic(50, [], 0)], CancellationToken.None));

        errors.ShouldHaveSingleItem().Message.ShouldBe($"spec.rolloutPlan.trafficRouting.gatewayAPI.httpRoutes[0]: Forbidden: HTTPRoute \"web\" is held by rollout {ns}/other; it must finish or be deleted first");
        (await plane.GetAsync(TrafficKinds.HttpRoute, ns, "web"))["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldBe(held["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Render_BesideOtherBackends_KeepsEveryBackendsExactShare()
    {
        var rules = JsonNode.Parse("""[{"backendRefs":[{"name":"web","weight":3},{"name":"other","weight":1}]}]""")!.AsArray();

        var rendered = HttpRouteRules.Render(rules, new RouteTraffic(10, [], 0), "web", "web-canary", "ns");

        rendered[0]!["backendRefs"]!.ToJsonString().ShouldBe("""[{"name":"web","weight":270},{"name":"web-canary","weight":30},{"name":"other","weight":100}]""");
        HttpRouteRules.Read(rendered, "web", "web-canary", "ns").ShouldBe((10, 0));
    }

    [Theory]
    [InlineData("""{"percent":20}""", 20)]
    [InlineData("""{"fraction":{"numerator":1,"denominator":4}}""", 25)]
    [InlineData("""{"fraction":{"numerator":3}}""", 3)]
    [InlineData("""{}""", 100)]
    public void MirrorPercent_PercentFractionOrNeither_IsTheShareMirrored(string mirror, int percent) =>
        HttpRouteRules.MirrorPercent(JsonNode.Parse(mirror)!.AsObject()).ShouldBe(percent);
}
